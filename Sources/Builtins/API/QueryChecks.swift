import Interpreter
import PostgresAPISpec

/// Checks a command's query string against the API's rules (the emulator's own checks, from the spec)
/// before it is sent: `logs $pg --limit lots` fails at `--limit`, exit 2, with no request.
enum QueryChecks {
  /// The option each query parameter comes from.
  static let options: [(parameter: String, option: String)] = [
    ("from_date", "from"), ("to_date", "to"), ("bucket_size_seconds", "bucket"), ("sort_by", "sort"),
    ("sort_order", "order"), ("limit", "limit"), ("offset", "offset"), ("body_contains", "grep"), ("severity", "severity"),
  ]

  /// Runs `validate` (one of `QueryParameters`' functions) on `query`; a failure becomes a usage error
  /// worded with mpg's option names, at the option that caused it.
  static func check(
    _ call: CommandCall, _ query: [(String, String)],
    _ validate: ([String: String]) throws(QueryParameterFailure) -> Void
  ) throws {
    do {
      try validate(Dictionary(query, uniquingKeysWith: { _, last in last }))
    } catch {
      var message = error.detail.replacingAll("query parameter ", with: "")
      var span: SourceSpan?
      for (parameter, option) in options where message.contains(parameter) {
        message = message.replacingAll(parameter, with: "--\(option)")
        // A window computed from --since names from_date and to_date: point at --since then.
        span = span ?? call.options[option]?.span ?? call.options["since"]?.span
      }
      throw call.usageError(message, at: span)
    }
  }
}
