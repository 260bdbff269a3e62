import CloudAPI
import Interpreter
import JQ
import Outcomes

/// `sql REF "SQL"`: runs SQL on a service. A query returns its rows as an array of objects (typed as
/// PostgreSQL's `json_agg` types them); any other statement returns its command tag.
public struct SQLCommand: APICommand {
  public let name = "sql"
  public let summary = "Run SQL on a service: a query returns its rows as JSON objects, other statements their command tag."
  public let usage = #"sql REF "SQL" [--database NAME] [--password PASSWORD]"#
  public let examples = [
    #"sql $pg "select count(*) as n from pg_stat_activity" | .[0].n"#, #"sql my-db "create table t (id int)""#,
  ]
  public let options = [
    CommandOption("database", takesValue: true, summary: "The database (default postgres)."),
    CommandOption(
      "password", takesValue: true, summary: "Use this password instead of the one mpg keeps (e.g. to prove an old one fails)."),
  ]
  public let session: APISession
  public var firstArgumentIsService: Bool { true }

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    try call.expectPositionals(2...2, usage: usage)
    guard let sql = call.positionals[1].value.stringValue else {
      throw call.usageError("the SQL must be a string", at: call.positionals[1].span)
    }
    let id = try await ServiceReference.id(of: call.positionals[0], through: session, for: call, in: context)
    let connection = try await PostgresConnection.open(
      serviceID: id, database: call.options["database"]?.text ?? "postgres",
      password: call.options["password"]?.value.stringValue,
      session, call, context)
    defer { connection.close() }
    if session.isDryRun { return JSONValue(array: []) }
    let returnsRows = Self.isQuery(sql)
    let statement =
      returnsRows
      ? "select coalesce(json_agg(mpg_row), '[]'::json) from (\(Self.withoutTrailingSemicolon(sql))) as mpg_row"
      : sql
    let outcome = try await context.cancellingOnInterrupt {
      try await PsqlProcess.capture(connection, arguments: ["-v", "ON_ERROR_STOP=1", "-A", "-t", "-c", statement])
    }
    guard outcome.status == 0 else {
      let message = outcome.error.trimmingTrailingNewlines.replacingAll("psql:", with: "").trimmingTrailingNewlines
      throw RuntimeError(kind: .sql, message: "SQL failed: \(message.drop { $0 == " " })", at: call.positionals[1].span)
    }
    let text = outcome.output.trimmingTrailingNewlines
    if returnsRows {
      do {
        return try JSONValue(parsing: text)
      } catch {
        throw RuntimeError(kind: .sql, message: "psql printed something that is not JSON: \(error.message)", at: call.span)
      }
    }
    return JSONValue(text.split(separator: "\n").last.map(String.init) ?? "")
  }

  /// Whether the statement is a query whose rows can be wrapped (`select`, `with`, `values`, `table`).
  static func isQuery(_ sql: String) -> Bool {
    var text = Substring(sql)
    while true {
      text = text.drop { $0.isWhitespace }
      if text.hasPrefix("--") {
        text = text.drop { $0 != "\n" }
      } else if text.hasPrefix("/*"), let end = text.range(of: "*/") {
        text = text[end.upperBound...]
      } else {
        break
      }
    }
    let first = text.prefix { $0.isLetter }.lowercased()
    guard ["select", "with", "values", "table"].contains(first) else { return false }
    // A data-modifying CTE or several statements cannot be wrapped in a subquery.
    let lowered = sql.lowercased()
    return !withoutTrailingSemicolon(sql).contains(";")
      && !(first == "with" && ["insert ", "update ", "delete "].contains { lowered.contains($0) })
  }

  static func withoutTrailingSemicolon(_ sql: String) -> String {
    var text = Substring(sql)
    while let last = text.last, last.isWhitespace || last == ";" { text.removeLast() }
    return String(text)
  }
}
