import CloudAPI
import Interpreter
import JQ

/// `list` (and `ls`): the organization's Postgres services.
public struct ListCommand: APICommand {
  public let name: String
  public let summary: String
  public let usage: String
  public let examples: [String]
  public let options: [CommandOption] = []
  public let session: APISession

  /// The command under `name` (`list` or its alias `ls`).
  public init(name: String = "list", session: APISession) {
    self.name = name
    self.session = session
    summary = name == "list" ? "List the Postgres services of the organization." : "Same as `list`."
    usage = name
    examples = ["\(name)", "\(name) | map(select(.state == \"running\") | .name)"]
  }

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    try call.expectPositionals(0...0, usage: usage)
    return try await session.send(
      APIRequest("GET", try await session.postgresPath("", for: call, in: context)), for: call, in: context
    ).result
  }
}
