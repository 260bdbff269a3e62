import CloudAPI
import Interpreter
import JQ

/// `restart REF`, `promote REF`, `switchover REF`: one state command each (`PATCH …/state`).
public struct StateCommand: Command {
  public let name: String
  public let summary: String
  public let usage: String
  public let examples: [String]
  public let options: [CommandOption] = []
  let session: APISession

  /// The command for the state `command` (`restart`, `promote` or `switchover`).
  public init(_ command: String, summary: String, session: APISession) {
    name = command
    self.summary = summary
    usage = "\(command) REF"
    examples = ["\(command) $pg", "\(command) my-db; wait my-db"]
    self.session = session
  }

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    try call.expectPositionals(1...1, usage: usage)
    let id = try await ServiceReference.id(call.positionals[0], session, call, context)
    let path = try await session.postgresPath("/\(id)/state", call, context)
    return try await session.send(APIRequest("PATCH", path, body: JSONValue(object: [("command", JSONValue(name))])), call, context).result
  }
}
