import CloudAPI
import Interpreter
import JQ

/// `org [ID]`: shows the organization in use, or switches to another.
public struct OrgCommand: APICommand {
  public let name = "org"
  public let summary = "Show the organization commands work in, or switch to another by id."
  public let usage = "org [ID]"
  public let examples = ["org", "org 7c4e1c5a-0000-4000-8000-000000000001", "org | .name"]
  public let options: [CommandOption] = []
  public let session: APISession

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    try call.expectPositionals(0...1, usage: usage)
    if let argument = call.positionals.first {
      let id = argument.value["id"]?.stringValue ?? argument.text
      let organization = try await session.send(APIRequest("GET", "/v1/organizations/\(id)"), for: call, in: context).result
      session.useOrganization(id)
      return organization
    }
    return try await session.send(
      APIRequest("GET", try await session.organizationPath(for: call, in: context)), for: call, in: context
    ).result
  }
}
