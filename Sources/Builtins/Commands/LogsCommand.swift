import CloudAPI
import Interpreter
import JQ
import PostgresAPISpec

/// `logs REF [--since 1h] [--grep TEXT] [--severity S]`: PostgreSQL server log entries.
public struct LogsCommand: APICommand {
  public let name = "logs"
  public let summary = "Fetch a service's PostgreSQL log entries, newest first (default: the last hour)."
  public let usage = "logs REF [--since 1h | --from T --to T] [--grep TEXT] [--severity S] [--limit N] [--oldest-first]"
  public let examples = ["logs $pg --since 10m --severity ERROR", #"logs $pg --grep "checkpoint" | length"#]
  public let options =
    TimeWindow.options + [
      CommandOption("grep", takesValue: true, summary: "Only entries whose text contains TEXT (case-sensitive)."),
      CommandOption("severity", takesValue: true, summary: "Only entries of this severity (ERROR, WARNING, LOG, …)."),
      CommandOption("limit", takesValue: true, summary: "At most this many entries (the API's default is 50)."),
      CommandOption("offset", takesValue: true, summary: "Skip this many entries."),
      CommandOption("oldest-first", summary: "Oldest entries first."),
    ]
  public let session: APISession
  public var firstArgumentIsService: Bool { true }

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    try call.expectPositionals(1...1, usage: usage)
    var query = try TimeWindow.query(call, defaultSince: 3600)
    for (option, parameter) in [("grep", "body_contains"), ("severity", "severity"), ("limit", "limit"), ("offset", "offset")] {
      if let value = call.options[option] { query.append((parameter, value.text)) }
    }
    if call.options["oldest-first"] != nil { query.append(("sort_order", "asc")) }
    try QueryChecks.check(call, query) { (parameters) throws(QueryParameterFailure) in _ = try QueryParameters.logs(parameters) }
    let (id, path) = try await session.servicePath(of: call.positionals[0], suffix: "/logs", for: call, in: context)
    return try await session.send(APIRequest("GET", path, query: query), for: call, in: context).result
  }
}
