import Interpreter
import JQ
import PostgresAPISpec

/// Checks a body against the API's rules (from its OpenAPI document) before it is sent, so mistakes
/// get a located message and a suggestion without a round trip. Regions are left to the API: the
/// live service knows better which it offers.
enum BodyChecks {
  static let validator = RequestValidator(checksRegions: false, refusesUnknownFields: true)

  /// Runs `check` on the body; a failure becomes a usage error at the field that caused it.
  static func check<Value>(_ call: CommandCall, _ check: () throws(ValidationFailure) -> Value) throws {
    do {
      _ = try check()
    } catch {
      // `size` was written as `size=…`; `pgConfig.work_mem` as `work_mem=…` after `config REF set`.
      let topField = String(error.field.prefix { $0 != "." && $0 != "[" })
      let lastField = error.field.split(separator: ".").last.map(String.init) ?? topField
      let written = span(of: topField, in: call) ?? span(of: lastField, in: call)
      throw call.usageError(message(for: error), at: written ?? bodySpan(in: call))
    }
  }

  /// Where a body that did not come from `key=value` arguments was written: `--from FILE`, else the
  /// last object argument (`create {…}`, `patch REF {…}`).
  static func bodySpan(in call: CommandCall) -> SourceSpan? {
    call.options["from"]?.span ?? call.positionals.last { $0.value.kind == .object }?.span
  }

  /// `size "r8g.large" is not one of the aws sizes; did you mean r8gd.large?`: the validator's text
  /// without the API prefix, and without listing dozens of allowed values.
  static func message(for failure: ValidationFailure) -> String {
    var problem = failure.problem
    if let listStart = problem.range(of: "is not one of ") {
      let value = problem[..<listStart.lowerBound]
      let rest = problem[listStart.upperBound...]
      let hint = rest.range(of: "; ", options: .backwards).map { String(rest[$0.lowerBound...]) } ?? ""
      let list = hint.isEmpty ? rest : rest[..<rest.range(of: "; ", options: .backwards)!.lowerBound]
      let items = list.split(separator: ",").count
      if items > 8 {
        let noun = list.firstIndex(of: ":").map { String(list[..<$0]) } ?? "the allowed values"
        problem = "\(value)is not one of \(noun) (\(items) of them)\(hint)"
      }
    }
    return failure.field.isEmpty ? "the body \(problem)" : "\(failure.field) \(problem)"
  }

  /// Where the field `key` was written, when it came from a `key=value` argument.
  static func span(of key: String, in call: CommandCall) -> SourceSpan? {
    // `restore` takes the API's `restoreTarget` as `at=`.
    call.fields.last { $0.key == key || (key == "restoreTarget" && $0.key == "at") }?.value.span
  }
}
