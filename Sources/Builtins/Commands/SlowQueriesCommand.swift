import CloudAPI
import Interpreter
import JQ
import PostgresAPISpec

/// `slowqueries REF [QUERYID] [filters]`: the slowest query patterns, or one pattern in detail.
public struct SlowQueriesCommand: APICommand {
  public let name = "slowqueries"
  public let summary = "List a service's slow query patterns, or show one pattern with recent executions."
  public let usage =
    "slowqueries REF [QUERYID] [--since 1h] [--db NAME] [--user NAME] [--operation OP] [--app NAME] [--sort FIELD] [--limit N]"
  public let examples = ["slowqueries $pg --since 1h --limit 5", "slowqueries $pg 123456789"]
  public let options =
    TimeWindow.options + [
      CommandOption("db", takesValue: true, summary: "Only this database."),
      CommandOption("user", takesValue: true, summary: "Only this database user."),
      CommandOption("operation", takesValue: true, summary: "Only this operation (SELECT, INSERT, …)."),
      CommandOption("app", takesValue: true, summary: "Only this application name."),
      CommandOption("sort", takesValue: true, summary: "Sort by this field (e.g. totalDurationUs)."),
      CommandOption("order", takesValue: true, summary: "asc or desc."),
      CommandOption("limit", takesValue: true, summary: "At most this many patterns."),
      CommandOption("offset", takesValue: true, summary: "Skip this many patterns."),
    ]
  public let session: APISession
  public var firstArgumentIsService: Bool { true }

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    try call.expectPositionals(1...2, usage: usage)
    let id = try await ServiceReference.id(of: call.positionals[0], through: session, for: call, in: context)
    let filters: [(String, String)] = [("db", "db_name"), ("user", "db_user"), ("operation", "db_operation"), ("app", "app")]
      .compactMap { option, parameter in call.options[option].map { (parameter, $0.text) } }
    if call.positionals.count == 2 {
      let queryID = call.positionals[1].text
      let path = try await session.postgresPath(
        "/\(id)/slowQueryPatterns/\(URLText.encodeComponent(queryID))", for: call, in: context)
      return try await session.send(APIRequest("GET", path, query: filters), for: call, in: context).result
    }
    var query = try TimeWindow.query(call, defaultSince: 3600) + filters
    for (option, parameter) in [("sort", "sort_by"), ("order", "sort_order"), ("limit", "limit"), ("offset", "offset")] {
      if let value = call.options[option] { query.append((parameter, value.text)) }
    }
    try QueryChecks.check(call, query) { (parameters) throws(QueryParameterFailure) in
      _ = try QueryParameters.slowQueryPatterns(parameters)
    }
    let path = try await session.postgresPath("/\(id)/slowQueryPatterns", for: call, in: context)
    return try await session.send(APIRequest("GET", path, query: query), for: call, in: context).result
  }
}
