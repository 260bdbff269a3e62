import CloudAPI
import Interpreter
import JQ

/// `get REF`: one service.
public struct GetCommand: APICommand {
  public let name = "get"
  public let summary = "Fetch one Postgres service by id, name, or an object with .id."
  public let usage = "get REF"
  public let examples = ["get $pg", "get my-db | .state", "get 2f0c…-…"]
  public let options: [CommandOption] = []
  public let session: APISession
  public var firstArgumentIsService: Bool { true }

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    try call.expectPositionals(1...1, usage: usage)
    let (_, path) = try await session.servicePath(of: call.positionals[0], for: call, in: context)
    return try await session.send(APIRequest("GET", path), for: call, in: context).result
  }
}
