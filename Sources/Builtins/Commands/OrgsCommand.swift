import CloudAPI
import Interpreter
import JQ

/// `orgs`: the organizations the API key can see.
public struct OrgsCommand: Command {
  public let name = "orgs"
  public let summary = "List the organizations your API key can see."
  public let usage = "orgs"
  public let examples = ["orgs", "orgs | map(.name)"]
  public let options: [CommandOption] = []
  let session: APISession

  /// The command, sending through `session`.
  public init(session: APISession) {
    self.session = session
  }

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    try call.expectPositionals(0...0, usage: usage)
    return try await session.send(APIRequest("GET", "/v1/organizations"), for: call, in: context).result
  }
}
