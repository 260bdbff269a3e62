import CloudAPI
import Interpreter
import JQ
import PostgresAPISpec

/// `password REF [NEW]`: sets a password, or has the API generate one; either way mpg keeps it.
public struct PasswordCommand: Command {
  public let name = "password"
  public let summary = "Set a service's password, or without NEW have the API generate one; mpg keeps it."
  public let usage = "password REF [NEW]"
  public let examples = ["let reset = password $pg", #"password my-db "Correct-Horse-9-Battery""#]
  public let options: [CommandOption] = []
  let session: APISession

  /// The command, sending through `session`.
  public init(session: APISession) {
    self.session = session
  }

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    try call.expectPositionals(1...2, usage: usage)
    let id = try await ServiceReference.id(call.positionals[0], session, call, context)
    let path = try await session.postgresPath("/\(id)/password", call, context)
    var body = JSONValue(object: [])
    var chosen: String?
    if call.positionals.count == 2 {
      guard let password = call.positionals[1].value.stringValue else {
        throw call.usageError("the new password must be a string", at: call.positionals[1].span)
      }
      chosen = password
      body = JSONValue(object: [("password", JSONValue(password))])
      let checked = body
      do {
        _ = try BodyChecks.validator.validatePassword(checked)
      } catch {
        throw call.usageError("the new password \(error.problem)", at: call.positionals[1].span)
      }
    }
    var result = try await session.send(APIRequest("PATCH", path, body: body), call, context).result
    if let chosen, result["password"] == nil {
      result = result.kind == .object ? (result.setting("password", to: JSONValue(chosen)) ?? result) : JSONValue(object: [("password", JSONValue(chosen))])
    }
    try VaultRecording.remember(result, serviceID: id, name: call.positionals[0].value["name"]?.stringValue, session, call)
    return result
  }
}
