import Interpreter
import JQ

/// Checks of a body before it is sent, so the common mistakes get a located message without a
/// round trip. The API validates everything again.
enum BodyChecks {
  static let requiredForCreate = ["name", "provider", "region", "size"]

  static func create(_ body: JSONValue, _ call: CommandCall) throws {
    let missing = requiredForCreate.filter { body[$0] == nil || body[$0]?.kind == .null }
    guard missing.isEmpty else {
      let list = missing.map { "\($0)=…" }.joined(separator: " ")
      throw call.usageError("create needs \(requiredForCreate.joined(separator: ", ")); add \(list)")
    }
    for key in requiredForCreate where body[key]?.kind != .string {
      throw call.usageError("`\(key)` must be a string, not \(body[key]!.kind.jqName)", at: span(of: key, in: call))
    }
  }

  /// Where the field `key` was written, when it came from a `key=value` argument.
  static func span(of key: String, in call: CommandCall) -> SourceSpan? {
    call.fields.last { $0.key == key }?.value.span
  }
}
