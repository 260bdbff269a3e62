/// RFC 3339 date-times (`2026-01-15T09:30:00Z`, `2026-01-15T09:30:00.123+02:00`), JSON Schema's
/// `date-time`: the one reader of them in mpg (the API's rules, its query parameters, the emulator).
public enum RFC3339 {
  /// Whether `text` is a date-time; `allowingSpace` also takes a space between date and time, as
  /// RFC 3339 lets applications do (PostgreSQL writes them so), though JSON Schema does not.
  public static func isDateTime(_ text: String, allowingSpace: Bool = false) -> Bool {
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

    guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
      expect(allowingSpace ? "Tt " : "Tt"), let hour = number(2), expect(":"), let minute = number(2), expect(":"),
      let second = number(2)
    else { return false }
    guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
      hour <= 23, minute <= 59, second <= 60
    else { return false }
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      let start = index
      while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
      guard index > start else { return false }
    }
    if expect("Zz") { return index == bytes.count }
    guard expect("+-"), let offsetHours = number(2), expect(":"), let offsetMinutes = number(2) else { return false }
    return offsetHours <= 23 && offsetMinutes <= 59 && index == bytes.count
  }

  static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  /// Seconds since the epoch of a date-time, or `nil` when `text` is not one.
  public static func seconds(_ text: String, allowingSpace: Bool = false) -> Double? {
    guard isDateTime(text, allowingSpace: allowingSpace) else { return nil }
    let bytes = Array(text.utf8)
    func number(_ range: Range<Int>) -> Int {
      bytes[range].reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }
    let year = number(0..<4), month = number(5..<7), day = number(8..<10)
    let hour = number(11..<13), minute = number(14..<16), second = number(17..<19)
    var index = 19
    var fraction = 0.0
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      var scale = 0.1
      index += 1
      while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
        fraction += Double(bytes[index] - 0x30) * scale
        scale /= 10
        index += 1
      }
    }
    var offset = 0
    if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
      let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
      offset = sign * (number(index + 1..<index + 3) * 3600 + number(index + 4..<index + 6) * 60)
    }
    let days = daysSinceEpoch(year: year, month: month, day: day)
    return Double(days * 86400 + hour * 3600 + minute * 60 + second - offset) + fraction
  }

  /// Days from 1970-01-01 to a civil date (Howard Hinnant's algorithm).
  static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
    let shiftedYear = month <= 2 ? year - 1 : year
    let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
    let yearOfEra = shiftedYear - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }
}
