import JQ

/// Durations as users write them: `250ms`, `2s`, `1.5m`, `1h`, `1d`, or a plain number of seconds.
public enum DurationText {
  private static let units: [(suffix: String, seconds: Double)] = [
    ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400),
  ]

  /// The number of seconds, or `nil` when the value is not a duration.
  public static func seconds(_ value: JSONValue) -> Double? {
    if let number = value.numberValue { return number.isFinite ? number : nil }
    guard let text = value.stringValue else { return nil }
    return seconds(text)
  }

  /// The number of seconds in a duration written as text.
  public static func seconds(_ text: String) -> Double? {
    for unit in units where text.hasSuffix(unit.suffix) {
      let digits = text.dropLast(unit.suffix.count)
      guard !digits.isEmpty, digits.allSatisfy({ $0.isNumber || $0 == "." }), let number = Double(digits) else { continue }
      return number * unit.seconds
    }
    guard let number = Double(text), number.isFinite else { return nil }
    return number
  }
}
