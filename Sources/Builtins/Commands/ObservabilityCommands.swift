import CloudAPI
import Interpreter
import JQ
import PostgresAPISpec

/// `metrics REF [--since 1h | --from T --to T] [--bucket 60s]`: time series of a service.
public struct MetricsCommand: Command {
  public let name = "metrics"
  public let summary = "Fetch a service's metrics over a time window (default: the last hour)."
  public let usage = "metrics REF [--since 1h | --from T --to T] [--bucket 60s]"
  public let examples = ["metrics $pg --since 15m", #"metrics $pg | .metrics | map(.key)"#]
  public let options = TimeWindow.options + [CommandOption("bucket", takesValue: true, summary: "The width of each data point (e.g. 60s, 5m).")]
  let session: APISession

  /// The command, sending through `session`.
  public init(session: APISession) {
    self.session = session
  }

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    try call.expectPositionals(1...1, usage: usage)
    var query = try TimeWindow.query(call, defaultSince: 3600)
    if let bucket = call.options["bucket"] {
      guard let seconds = DurationText.seconds(bucket.value), seconds >= 1 else {
        throw call.usageError("--bucket takes a duration such as 60s or 5m", at: bucket.span)
      }
      query.append(("bucket_size_seconds", String(Int(seconds))))
    }
    try QueryChecks.check(call, query) { (parameters) throws(QueryParameterFailure) in _ = try QueryParameters.metrics(parameters) }
    let id = try await ServiceReference.id(call.positionals[0], session, call, context)
    let path = try await session.postgresPath("/\(id)/metrics", call, context)
    return try await session.send(APIRequest("GET", path, query: query), call, context).result
  }
}

/// `prometheus [REF]`: Prometheus text for one service, or for the whole organization.
public struct PrometheusCommand: Command {
  public let name = "prometheus"
  public let summary = "Fetch Prometheus metrics (text) for a service, or for every service of the organization."
  public let usage = "prometheus [REF]"
  public let examples = ["prometheus $pg", ##"prometheus | split("\n") | map(select(startswith("#") | not)) | length"##]
  public let options: [CommandOption] = []
  let session: APISession

  /// The command, sending through `session`.
  public init(session: APISession) {
    self.session = session
  }

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    try call.expectPositionals(0...1, usage: usage)
    var suffix = "/prometheus"
    if let reference = call.positionals.first {
      suffix = "/\(try await ServiceReference.id(reference, session, call, context))/prometheus"
    }
    return try await session.send(APIRequest("GET", try await session.postgresPath(suffix, call, context)), call, context).result
  }
}

/// `slowqueries REF [QUERYID] [filters]`: the slowest query patterns, or one pattern in detail.
public struct SlowQueriesCommand: Command {
  public let name = "slowqueries"
  public let summary = "List a service's slow query patterns, or show one pattern with recent executions."
  public let usage = "slowqueries REF [QUERYID] [--since 1h] [--db NAME] [--user NAME] [--operation OP] [--app NAME] [--sort FIELD] [--limit N]"
  public let examples = ["slowqueries $pg --since 1h --limit 5", "slowqueries $pg 123456789"]
  public let options = TimeWindow.options + [
    CommandOption("db", takesValue: true, summary: "Only this database."),
    CommandOption("user", takesValue: true, summary: "Only this database user."),
    CommandOption("operation", takesValue: true, summary: "Only this operation (SELECT, INSERT, …)."),
    CommandOption("app", takesValue: true, summary: "Only this application name."),
    CommandOption("sort", takesValue: true, summary: "Sort by this field (e.g. totalDurationUs)."),
    CommandOption("order", takesValue: true, summary: "asc or desc."),
    CommandOption("limit", takesValue: true, summary: "At most this many patterns."),
    CommandOption("offset", takesValue: true, summary: "Skip this many patterns."),
  ]
  let session: APISession

  /// The command, sending through `session`.
  public init(session: APISession) {
    self.session = session
  }

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    try call.expectPositionals(1...2, usage: usage)
    let id = try await ServiceReference.id(call.positionals[0], session, call, context)
    let filters: [(String, String)] = [("db", "db_name"), ("user", "db_user"), ("operation", "db_operation"), ("app", "app")]
      .compactMap { option, parameter in call.options[option].map { (parameter, $0.text) } }
    if call.positionals.count == 2 {
      let queryID = call.positionals[1].text
      let path = try await session.postgresPath("/\(id)/slowQueryPatterns/\(URLText.encodeComponent(queryID))", call, context)
      return try await session.send(APIRequest("GET", path, query: filters), call, context).result
    }
    var query = try TimeWindow.query(call, defaultSince: 3600) + filters
    for (option, parameter) in [("sort", "sort_by"), ("order", "sort_order"), ("limit", "limit"), ("offset", "offset")] {
      if let value = call.options[option] { query.append((parameter, value.text)) }
    }
    try QueryChecks.check(call, query) { (parameters) throws(QueryParameterFailure) in _ = try QueryParameters.slowQueryPatterns(parameters) }
    let path = try await session.postgresPath("/\(id)/slowQueryPatterns", call, context)
    return try await session.send(APIRequest("GET", path, query: query), call, context).result
  }
}

/// `logs REF [--since 1h] [--grep TEXT] [--severity S]`: PostgreSQL server log entries.
public struct LogsCommand: Command {
  public let name = "logs"
  public let summary = "Fetch a service's PostgreSQL log entries, newest first (default: the last hour)."
  public let usage = "logs REF [--since 1h | --from T --to T] [--grep TEXT] [--severity S] [--limit N] [--oldest-first]"
  public let examples = ["logs $pg --since 10m --severity ERROR", #"logs $pg --grep "checkpoint" | length"#]
  public let options = TimeWindow.options + [
    CommandOption("grep", takesValue: true, summary: "Only entries whose text contains TEXT (case-sensitive)."),
    CommandOption("severity", takesValue: true, summary: "Only entries of this severity (ERROR, WARNING, LOG, …)."),
    CommandOption("limit", takesValue: true, summary: "At most this many entries (the API's default is 50)."),
    CommandOption("offset", takesValue: true, summary: "Skip this many entries."),
    CommandOption("oldest-first", summary: "Oldest entries first."),
  ]
  let session: APISession

  /// The command, sending through `session`.
  public init(session: APISession) {
    self.session = session
  }

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    try call.expectPositionals(1...1, usage: usage)
    var query = try TimeWindow.query(call, defaultSince: 3600)
    for (option, parameter) in [("grep", "body_contains"), ("severity", "severity"), ("limit", "limit"), ("offset", "offset")] {
      if let value = call.options[option] { query.append((parameter, value.text)) }
    }
    if call.options["oldest-first"] != nil { query.append(("sort_order", "asc")) }
    try QueryChecks.check(call, query) { (parameters) throws(QueryParameterFailure) in _ = try QueryParameters.logs(parameters) }
    let id = try await ServiceReference.id(call.positionals[0], session, call, context)
    let path = try await session.postgresPath("/\(id)/logs", call, context)
    return try await session.send(APIRequest("GET", path, query: query), call, context).result
  }
}

/// `backups REF`: a service's backups.
public struct BackupsCommand: Command {
  public let name = "backups"
  public let summary = "List a service's backups (the points a restore can start from)."
  public let usage = "backups REF [--limit N] [--cursor C]"
  public let examples = ["backups $pg", "backups $pg | map(.lastModified) | max"]
  public let options = [
    CommandOption("limit", takesValue: true, summary: "At most this many backups."),
    CommandOption("cursor", takesValue: true, summary: "Continue a previous listing."),
  ]
  let session: APISession

  /// The command, sending through `session`.
  public init(session: APISession) {
    self.session = session
  }

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    try call.expectPositionals(1...1, usage: usage)
    let query = [("limit", "limit"), ("cursor", "cursor")].compactMap { option, parameter in call.options[option].map { (parameter, $0.text) } }
    if let limit = call.options["limit"], !(Int(limit.text).map { $0 >= 1 } ?? false) {
      throw call.usageError("--limit takes a whole number of at least 1, not \(limit.text)", at: limit.span)
    }
    let id = try await ServiceReference.id(call.positionals[0], session, call, context)
    let path = try await session.postgresPath("/\(id)/backups", call, context)
    return try await session.send(APIRequest("GET", path, query: query), call, context).result
  }
}
