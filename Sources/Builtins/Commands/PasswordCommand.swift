import CloudAPI
import Interpreter
import JQ
import PostgresAPISpec

/// `password REF [NEW]`: sets a password, or has the API generate one; either way mpg keeps it.
public struct PasswordCommand: APICommand {
  public let name = "password"
  public let summary = "Set a service's password, or without NEW have the API generate one; mpg keeps it."
  public let usage = "password REF [NEW] [--yes]"
  public let examples = ["let reset = password $pg --yes", #"password my-db "Correct-Horse-9-Battery""#]
  public let options = [
    CommandOption("yes", summary: "Replace the password without asking; required when standard input is not a terminal.")
  ]
  static let action = Consent.Action(
    question: "Replace the password of Postgres service",
    consequence: "The old password stops working at once; this cannot be undone")
  public let session: APISession
  public var firstArgumentIsService: Bool { true }

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    try call.expectPositionals(1...2, usage: usage)
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
    let id = try await Consent.serviceID(for: Self.action, call.positionals[0], call, session, context)
    let path = try await session.postgresPath("/\(id)/password", for: call, in: context)
    var result = try await session.send(APIRequest("PATCH", path, body: body), for: call, in: context).result
    if let chosen, result["password"] == nil {
      result =
        result.kind == .object
        ? (result.setting("password", to: JSONValue(chosen)) ?? result) : JSONValue(object: [("password", JSONValue(chosen))])
    }
    try VaultRecording.remember(result, serviceID: id, name: call.positionals[0].value["name"]?.stringValue, session, call)
    return result
  }
}
