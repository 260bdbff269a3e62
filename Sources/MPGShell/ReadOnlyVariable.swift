import CloudAPI

/// `MPG_READ_ONLY`: read-only mode from the environment, for a shell or a CI job that explores production.
enum ReadOnlyVariable {
  /// The variable's name.
  static let name = "MPG_READ_ONLY"

  private static let on = ["1", "true", "yes", "on"]
  private static let off = ["0", "false", "no", "off"]

  /// Whether the variable turns read-only mode on; `nil` when it is unset, empty or not understood
  /// (`problem` says so first).
  static func isOn(in environment: [String: String]) -> Bool? {
    guard let value = environment[name]?.lowercased(), !value.isEmpty else { return nil }
    if on.contains(value) { return true }
    if off.contains(value) { return false }
    return nil
  }

  /// What is wrong with the variable's value, or `nil` when it is fine (or unset).
  static func problem(in environment: [String: String]) -> String? {
    guard let value = environment[name], !value.isEmpty, isOn(in: environment) == nil else { return nil }
    return "\(name) takes 1, true, yes or on (or 0, false, no, off), not `\(value)`"
  }
}
