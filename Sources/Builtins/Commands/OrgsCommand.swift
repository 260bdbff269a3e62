import CloudAPI
import Interpreter
import JQ

/// `orgs`: the organizations the API key can see.
public struct OrgsCommand: APICommand {
  public let name = "orgs"
  public let summary = "List the organizations your API key can see."
  public let usage = "orgs"
  public let examples = ["orgs", "orgs | map(.name)"]
  public let options: [CommandOption] = []
  public let session: APISession

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    try call.expectPositionals(0...0, usage: usage)
    return try await session.send(APIRequest("GET", "/v1/organizations"), for: call, in: context).result
  }
}
