#if canImport(Glibc)
  import Glibc
#endif

/// `MPG_READ_ONLY`: read-only mode from the environment, for a shell or a CI job that explores production.
enum ReadOnlyVariable {
  /// The variable's name.
  static let name = "MPG_READ_ONLY"

  private static let on = ["1", "true", "yes", "on"]
  private static let off = ["0", "false", "no", "off"]

  /// The variable's value in this process's environment, `nil` when unset or empty.
  static var current: String? {
    getenv(name).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
  }

  /// Whether `value` turns read-only mode on; `nil` when it is unset or not understood (`problem` says so).
  static func isOn(_ value: String?) -> Bool? {
    guard let value = value?.lowercased() else { return nil }
    if on.contains(value) { return true }
    if off.contains(value) { return false }
    return nil
  }

  /// What is wrong with `value`, or `nil` when it is fine (or unset).
  static func problem(_ value: String?) -> String? {
    guard let value, isOn(value) == nil else { return nil }
    return "\(name) takes 1, true, yes or on (or 0, false, no, off), not `\(value)`"
  }
}
