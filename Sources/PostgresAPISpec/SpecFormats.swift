// The string formats the validator checks: the spec's regular expressions, PostgreSQL's setting values
// and RFC 3339 date-times.

/// A `pattern` of the spec, with JSON Schema's meaning: it matches when it is found anywhere in the text
/// (the spec's own patterns anchor themselves with `^…$`), and `$` is the very end of the text.
struct SpecPattern {
  let source: String
  private let regex: Regex<AnyRegexOutput>?

  init(_ source: String) {
    self.source = source
    regex = try? Regex(source).anchorsMatchLineEndings(false)
  }

  /// Whether the pattern occurs in `text`. A pattern Swift cannot compile matches nothing
  /// (ValidationTests compiles every pattern of the spec).
  func matches(_ text: String) -> Bool {
    guard let regex else { return false }
    // An ECMAScript `$` does not match before a final newline, whatever the engine does.
    if source.hasSuffix("$"), text.hasSuffix("\n") { return false }
    return text.contains(regex)
  }

  /// Whether Swift compiled the pattern.
  var isValid: Bool { regex != nil }
}

/// Values of PostgreSQL settings given as strings, as `ALTER SYSTEM` reads them.
enum SettingText {
  /// The units PostgreSQL accepts after an integer setting (memory and time), case-sensitive.
  static let units: Set<String> = ["B", "kB", "MB", "GB", "TB", "us", "ms", "s", "min", "h", "d"]

  /// An integer, possibly negative or fractional (PostgreSQL rounds), with an optional unit: `64MB`,
  /// `30 s`, `-1`, `1.5GB`.
  static func isInteger(_ text: String) -> Bool {
    var rest = Substring(trimmed(text))
    if rest.first == "-" || rest.first == "+" { rest = rest.dropFirst() }
    let whole = rest.prefix { $0.isASCII && $0.isNumber }
    guard !whole.isEmpty else { return false }
    rest = rest.dropFirst(whole.count)
    if rest.first == "." {
      rest = rest.dropFirst()
      rest = rest.drop { $0.isASCII && $0.isNumber }
    }
    let unit = trimmed(rest)
    return unit.isEmpty || units.contains(unit)
  }

  /// `text` without leading and trailing spaces and tabs.
  static func trimmed(_ text: some StringProtocol) -> String {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
    return String(text.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
  }

  /// A decimal number: `1.1`, `-0.5`, `2e-1`.
  static func isNumber(_ text: String) -> Bool {
    let candidate = trimmed(text)
    guard !candidate.isEmpty, candidate.allSatisfy({ "0123456789+-.eE".contains($0) }),
      let number = Double(candidate)
    else { return false }
    return number.isFinite
  }
}

/// RFC 3339 date-times (`2026-01-15T09:30:00Z`, `2026-01-15T09:30:00.123+02:00`), JSON Schema's `date-time`.
enum RFC3339 {
  static func isDateTime(_ text: String) -> Bool {
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
      expect("Tt"), let hour = number(2), expect(":"), let minute = number(2), expect(":"), let second = number(2)
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
}
