import CloudAPI
import Interpreter
import JQ

/// `delete REF [--yes]`: deletes a service and forgets its password. It asks first on a terminal and
/// needs `--yes` where nobody can be asked (`Consent`).
public struct DeleteCommand: APICommand {
  public let name = "delete"
  public let summary = "Delete a service: on a terminal mpg shows it and asks; elsewhere it needs --yes."
  public let usage = "delete REF [--yes]"
  public let examples = ["delete $pg --yes", "delete old-db"]
  public let options = [CommandOption("yes", summary: "Delete without asking; required when standard input is not a terminal.")]
  public let session: APISession
  public var firstArgumentIsService: Bool { true }

  static let action = Consent.Action(
    question: "Delete Postgres service", consequence: "Its data and backups go with it; this cannot be undone")

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    try call.expectPositionals(1...1, usage: usage)
    let id = try await Consent.serviceID(for: Self.action, call.positionals[0], call, session, context)
    let path = try await session.postgresPath("/\(id)", for: call, in: context)
    _ = try await session.send(APIRequest("DELETE", path), for: call, in: context)
    VaultRecording.forget(serviceID: id, session)
    return nil
  }
}
