import CloudAPI
import Interpreter
import JQ

/// `delete REF [--yes]`: deletes a service (asks first on a terminal) and forgets its password.
public struct DeleteCommand: Command {
  public let name = "delete"
  public let summary = "Delete a service; on a terminal mpg asks first unless --yes."
  public let usage = "delete REF [--yes]"
  public let examples = ["delete $pg --yes", "delete old-db"]
  public let options = [CommandOption("yes", summary: "Do not ask for confirmation.")]
  let session: APISession

  /// The command, sending through `session`.
  public init(session: APISession) {
    self.session = session
  }

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    try call.expectPositionals(1...1, usage: usage)
    let reference = call.positionals[0]
    let id = try await ServiceReference.id(reference, session, call, context)
    if call.options["yes"] == nil, let confirm = session.confirm, !session.options.dryRun {
      context.output.flush()
      let label = reference.value["name"]?.stringValue ?? (ServiceReference.isUUID(reference.text) ? id : "\(reference.text) (\(id))")
      guard confirm("Delete Postgres service \(label)? This cannot be undone. [y/N] ") else {
        throw RuntimeError(kind: "cancelled", message: "delete cancelled; nothing was deleted", at: call.span, exitCode: 3)
      }
    }
    let path = try await session.postgresPath("/\(id)", call, context)
    _ = try await session.send(APIRequest("DELETE", path), call, context)
    VaultRecording.forget(serviceID: id, session)
    return nil
  }
}
