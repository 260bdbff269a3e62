import CloudAPI
import Interpreter
import JQ

/// `prometheus [REF]`: Prometheus text for one service, or for the whole organization.
public struct PrometheusCommand: APICommand {
  public let name = "prometheus"
  public let summary = "Fetch Prometheus metrics (text) for a service, or for every service of the organization."
  public let usage = "prometheus [REF]"
  public let examples = ["prometheus $pg", ##"prometheus | split("\n") | map(select(startswith("#") | not)) | length"##]
  public let options: [CommandOption] = []
  public let session: APISession
  public var firstArgumentIsService: Bool { true }

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    try call.expectPositionals(0...1, usage: usage)
    var suffix = "/prometheus"
    if let reference = call.positionals.first {
      suffix = "/\(try await ServiceReference.id(of: reference, through: session, for: call, in: context))/prometheus"
    }
    return try await session.send(
      APIRequest("GET", try await session.postgresPath(suffix, for: call, in: context)), for: call, in: context
    ).result
  }
}
