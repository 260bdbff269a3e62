#if canImport(Glibc)
  import Glibc
#endif

/// Reading the API's RFC 3339 date-times back into seconds, and writing them with fractions.
extension Timestamp {
  /// Seconds since the epoch of an RFC 3339 date-time (`2026-11-30T06:21:05Z`,
  /// `2026-11-30T08:21:05.25+02:00`, lower-case `t`/`z` too); nil when it is not one.
  static func seconds(rfc3339 text: String) -> Double? {
    let bytes = Array(text.utf8)
    var index = 0
    func number(_ digits: Int) -> Int? {
      guard index + digits <= bytes.count else { return nil }
      var value = 0
      for byte in bytes[index..<index + digits] {
        guard (0x30...0x39).contains(byte) else { return nil }
        value = value * 10 + Int(byte - 0x30)
      }
      index += digits
      return value
    }
    func expect(_ characters: String) -> Bool {
      guard index < bytes.count, characters.utf8.contains(bytes[index]) else { return false }
      index += 1
      return true
    }
    guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2), expect("Tt "),
      let hour = number(2), expect(":"), let minute = number(2), expect(":"), let second = number(2)
    else { return nil }
    var fraction = 0.0
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      var scale = 0.1
      let start = index
      while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
        fraction += Double(bytes[index] - 0x30) * scale
        scale /= 10
        index += 1
      }
      guard index > start else { return nil }
    }
    var offset = 0
    if expect("Zz") {
      offset = 0
    } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
      let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
      index += 1
      guard let hours = number(2), expect(":"), let minutes = number(2) else { return nil }
      offset = sign * (hours * 3600 + minutes * 60)
    } else {
      return nil
    }
    guard index == bytes.count, (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
    var parts = tm()
    parts.tm_year = Int32(year - 1900)
    parts.tm_mon = Int32(month - 1)
    parts.tm_mday = Int32(day)
    parts.tm_hour = Int32(hour)
    parts.tm_min = Int32(minute)
    parts.tm_sec = Int32(second)
    return Double(timegm(&parts) - offset) + fraction
  }

  /// A UTC timestamp with microseconds that PostgreSQL and `seconds(rfc3339:)` both read:
  /// `2026-11-30 06:21:05.250000+00:00`.
  static func postgresUTC(_ seconds: Double) -> String {
    let whole = seconds.rounded(.down)
    let micros = Int(((seconds - whole) * 1_000_000).rounded())
    let base = String(format(time_t(whole)).map { $0 == "T" ? " " : $0 }).dropLast()
    return "\(base).\(String(min(micros, 999_999)).leftPadded(to: 6))+00:00"
  }

  /// A compact UTC stamp with milliseconds for names that sort by time: `20261130T062105.250Z`.
  static func compact(_ seconds: Double) -> String {
    let whole = seconds.rounded(.down)
    let millis = min(Int(((seconds - whole) * 1000).rounded(.down)), 999)
    let base = format(time_t(whole)).filter { $0 != "-" && $0 != ":" }.dropLast()
    return "\(base).\(String(millis).leftPadded(to: 3))Z"
  }
}
