// The string formats the validator checks: the spec's regular expressions and PostgreSQL's setting
// values (RFC 3339 date-times are in RFC3339.swift).

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
