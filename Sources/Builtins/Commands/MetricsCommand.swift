import CloudAPI
import Interpreter
import JQ
import PostgresAPISpec

/// `metrics REF [--since 1h | --from T --to T] [--bucket 60s]`: time series of a service.
public struct MetricsCommand: APICommand {
  public let name = "metrics"
  public let summary = "Fetch a service's metrics over a time window (default: the last hour)."
  public let usage = "metrics REF [--since 1h | --from T --to T] [--bucket 60s]"
  public let examples = ["metrics $pg --since 15m", #"metrics $pg | .metrics | map(.key)"#]
  public let options =
    TimeWindow.options + [CommandOption("bucket", takesValue: true, summary: "The width of each data point (e.g. 60s, 5m).")]
  public let session: APISession
  public var firstArgumentIsService: Bool { true }

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    try call.expectPositionals(1...1, usage: usage)
    var query = try TimeWindow.query(call, defaultSince: 3600)
    if let bucket = call.options["bucket"] {
      guard let seconds = DurationText.seconds(bucket.value), seconds >= 1 else {
        throw call.usageError("--bucket takes a duration such as 60s or 5m", at: bucket.span)
      }
      query.append(("bucket_size_seconds", String(Int(seconds))))
    }
    try QueryChecks.check(call, query) { (parameters) throws(QueryParameterFailure) in _ = try QueryParameters.metrics(parameters)
    }
    let (id, path) = try await session.servicePath(of: call.positionals[0], suffix: "/metrics", for: call, in: context)
    return try await session.send(APIRequest("GET", path, query: query), for: call, in: context).result
  }
}
