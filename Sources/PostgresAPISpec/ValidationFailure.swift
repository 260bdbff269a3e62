import JQ
import Suggestions

/// Why a request body was refused, worded as the emulator answers it: `400` with the error text
/// `BAD_REQUEST: request body: <field> <problem>`.
///
/// Every message follows one scheme so clients can rely on it:
/// - the body itself: `request body must be a JSON object, not an array`, `request body is required`;
/// - a field, named by its path in the body (`name`, `tags[3].key`, `pgConfig.work_mem`):
///   `request body: name is required`, `request body: name must be a string, not a number`,
///   `request body: haType "asyn" is not one of none, async, sync; did you mean async?`.
/// Values are echoed in JSON quotes (shortened past 64 characters); a password never is.
public struct ValidationFailure: Error, Equatable, Sendable, CustomStringConvertible {
  /// The path of the offending field in the body, or `""` for the body as a whole.
  public let field: String
  /// What is wrong, phrased to follow the field: `is required`, `must be at least 1, not 0`.
  public let problem: String

  /// A failure of `field` (a path such as `tags[0].key`, or `""` for the whole body).
  public init(field: String, problem: String) {
    self.field = field
    self.problem = problem
  }

  /// The text after `BAD_REQUEST: `, e.g. `request body: name is required`.
  public var detail: String {
    field.isEmpty ? "request body \(problem)" : "request body: \(field) \(problem)"
  }

  /// The full `error` text of the API's error envelope, e.g. `BAD_REQUEST: request body: name is required`.
  public var message: String { "BAD_REQUEST: \(detail)" }

  public var description: String { message }
}

// MARK: - The messages

extension ValidationFailure {
  /// No body was sent where one is needed.
  static let missingBody = ValidationFailure(field: "", problem: "is required")

  /// The body is not JSON at all.
  static func malformed(_ error: JSONParseError) -> ValidationFailure {
    ValidationFailure(field: "", problem: "is not valid JSON: \(error.message)")
  }

  /// The body is JSON but not an object.
  static func notAnObject(_ value: JSONValue) -> ValidationFailure {
    ValidationFailure(field: "", problem: "must be a JSON object, not \(kindName(of: value))")
  }

  static func required(_ field: String) -> ValidationFailure {
    ValidationFailure(field: field, problem: "is required")
  }

  /// `expected` is a phrase with its article: `a string`, `a string or an integer`.
  static func wrongType(_ field: String, expected: String, actual: JSONValue) -> ValidationFailure {
    ValidationFailure(field: field, problem: "must be \(expected), not \(kindName(of: actual))")
  }

  /// A value outside an enum. `noun` names a long list (`aws sizes`) so the message reads
  /// `is not one of the aws sizes: …`; short lists go without one.
  static func notOneOf(_ field: String, value: String, allowed: [String], noun: String? = nil) -> ValidationFailure {
    let list = allowed.map(listed).joined(separator: ", ")
    var problem = "\(quoted(value)) is not one of " + (noun.map { "the \($0): " } ?? "") + list
    if let hint = Suggestion.didYouMean(value, among: allowed) { problem += "; \(hint)" }
    return ValidationFailure(field: field, problem: problem)
  }

  /// A `pgConfig` key the API does not know (the spec closes the object).
  static func unknownSetting(_ field: String, name: String) -> ValidationFailure {
    let names = PostgresSpec.settings.map(\.name)
    var problem = "is not one of the supported settings: " + names.joined(separator: ", ")
    if let hint = Suggestion.didYouMean(name, among: names) { problem += "; \(hint)" }
    return ValidationFailure(field: field, problem: problem)
  }

  /// A member the body's schema does not have (`known`: the names it has), checked only by clients
  /// that refuse unknown fields: the API itself ignores them.
  static func unknownField(_ field: String, name: String, known: [String]) -> ValidationFailure {
    if let hint = Suggestion.didYouMean(name, among: known) {
      return ValidationFailure(field: field, problem: "is not a field of this request; \(hint)")
    }
    return ValidationFailure(
      field: field, problem: "is not a field of this request, which takes " + known.joined(separator: ", "))
  }

  static func length(_ field: String, _ range: ClosedRange<Int>, actual: Int) -> ValidationFailure {
    ValidationFailure(field: field, problem: "must be \(range.lowerBound) to \(range.upperBound) characters long, not \(actual)")
  }

  static func tooLong(_ field: String, maximum: Int, actual: Int) -> ValidationFailure {
    ValidationFailure(field: field, problem: "must be at most \(maximum) characters long, not \(actual)")
  }

  static func tooManyItems(_ field: String, maximum: Int, actual: Int) -> ValidationFailure {
    ValidationFailure(field: field, problem: "must have at most \(maximum) items, not \(actual)")
  }

  static func empty(_ field: String) -> ValidationFailure {
    ValidationFailure(field: field, problem: "must not be empty")
  }

  static func tooManyEntries(_ field: String, maximum: Int, actual: Int) -> ValidationFailure {
    ValidationFailure(field: field, problem: "must have at most \(maximum) entries, not \(actual)")
  }

  static func pattern(_ field: String, value: String, pattern: String) -> ValidationFailure {
    ValidationFailure(field: field, problem: "\(quoted(value)) must match \(pattern)")
  }

  static func reservedPrefix(_ field: String, value: String) -> ValidationFailure {
    ValidationFailure(
      field: field, problem: "\(quoted(value)) starts with the reserved prefix \(PostgresSpec.reservedTagKeyPrefix)")
  }

  static func belowMinimum(_ field: String, minimum: Double, actual: Double) -> ValidationFailure {
    ValidationFailure(field: field, problem: "must be at least \(number(minimum)), not \(number(actual))")
  }

  static func aboveMaximum(_ field: String, maximum: Double, actual: Double) -> ValidationFailure {
    ValidationFailure(field: field, problem: "must be at most \(number(maximum)), not \(number(actual))")
  }

  static func notAnInteger(_ field: String, actual: Double) -> ValidationFailure {
    ValidationFailure(field: field, problem: "must be an integer, not \(number(actual))")
  }

  /// A string for an integer setting that PostgreSQL would not read.
  static func notAnIntegerSetting(_ field: String, value: String) -> ValidationFailure {
    ValidationFailure(field: field, problem: "\(quoted(value)) must be an integer with an optional unit, such as 64MB or 30s")
  }

  /// A string for a numeric setting that is not a number.
  static func notANumberSetting(_ field: String, value: String) -> ValidationFailure {
    ValidationFailure(field: field, problem: "\(quoted(value)) must be a number, such as 1.1")
  }

  /// The password lacks a character class the spec requires (`what`: `lowercase letter`).
  static func missingCharacter(_ field: String, _ what: String) -> ValidationFailure {
    ValidationFailure(field: field, problem: "must contain at least one \(what)")
  }

  static func notADateTime(_ field: String, value: String) -> ValidationFailure {
    ValidationFailure(field: field, problem: "\(quoted(value)) must be an RFC 3339 date-time, such as 2026-01-15T09:30:00Z")
  }

  /// `size` names a size the provider does not offer.
  static func sizeOfAnotherProvider(_ field: String, size: String, provider: String, owner: String) -> ValidationFailure {
    let sizes = PostgresSpec.sizes(for: provider)
    return ValidationFailure(
      field: field,
      problem: "\(quoted(size)) is a size of provider \(owner), not one of the \(provider) sizes: "
        + sizes.joined(separator: ", ")
    )
  }
}

// MARK: - Wording helpers

extension ValidationFailure {
  /// The kind of a JSON value with its article: `a string`, `an array`, `null`.
  static func kindName(of value: JSONValue) -> String {
    switch value.kind {
    case .null: "null"
    case .boolean: "a boolean"
    case .number: "a number"
    case .string: "a string"
    case .array: "an array"
    case .object: "an object"
    }
  }

  /// A value as echoed in a message: JSON-quoted, shortened past 64 characters.
  static func quoted(_ value: String) -> String {
    let limit = 64
    let shown = value.count > limit ? String(value.prefix(limit - 1)) + "…" : value
    return JSONValue(shown).description
  }

  /// An allowed value in a list: bare when it is a plain word (`r8gd.large`), else JSON-quoted
  /// (`"read committed"`).
  static func listed(_ value: String) -> String {
    let plain = !value.isEmpty && value.unicodeScalars.allSatisfy { isWordCharacter($0) || $0 == "." || $0 == "-" }
    return plain ? value : JSONValue(value).description
  }

  /// An ASCII letter, digit or underscore.
  static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
    ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_"
  }

  /// A number as people write it: `1`, not `1.0`.
  static func number(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
    return String(value)
  }
}
