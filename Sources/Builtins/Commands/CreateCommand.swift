import CloudAPI
import Interpreter
import JQ
import PostgresAPISpec

/// `create name=… provider=… region=… size=… …`: a new Postgres service. The password in the
/// answer is kept in the vault (the API shows it only here).
public struct CreateCommand: APICommand {
  public let name = "create"
  public let summary = "Create a Postgres service; its password is kept for connect and sql."
  public let usage = "create [BODY] [--from FILE] name=NAME provider=PROVIDER region=REGION size=SIZE [key=value | key:=json]…"
  public let examples = [
    "let pg = create name=demo provider=aws region=us-east-1 size=r8gd.large postgresVersion=18",
    #"create {name: "ci", provider: "aws", region: "eu-west-1", size: "r6gd.medium"} tags:=[{key: "team", value: "data"}]"#,
  ]
  public let options = [
    CommandOption("from", takesValue: true, summary: "Read the body (a JSON object) from FILE; fields given on the line win.")
  ]
  public let session: APISession

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    guard let body = try RequestBody.build(call, objects: call.positionals, context: context) else {
      throw call.usageError("usage: \(usage)")
    }
    try BodyChecks.check(call) { () throws(ValidationFailure) in try BodyChecks.validator.validateCreate(body) }
    try await session.requireWritable(for: call, in: context)
    let path = try await session.postgresPath("", for: call, in: context)
    let serviceName = body["name"]?.stringValue ?? ""
    // What already carries this name, so that after an ambiguous failure a service that appeared
    // can be told apart from older ones of the same name.
    let existing: Set<String> =
      session.isDryRun
      ? []
      : Set(
        (try await session.send(APIRequest("GET", path), for: call, in: context).result.arrayElements ?? [])
          .filter { $0["name"]?.stringValue == serviceName }.compactMap { $0["id"]?.stringValue })
    let session = self.session
    let recovered = RecoveredService()
    let check: @Sendable () async throws -> APIResponse? = {
      guard let found = try await Self.appeared(named: serviceName, excluding: existing, path: path, session: session) else {
        return nil
      }
      recovered.id = found.id
      return found.response
    }
    let response = try await session.send(
      APIRequest("POST", path, body: body), for: call, in: context, beforeRepeatingPost: check)
    var result = response.result
    guard let id = result["id"]?.stringValue else { return result }
    if recovered.id != nil {
      // The create went through but its answer was lost, and the password with it: set a new one, once
      // the service runs (the API resets passwords of running services only).
      context.output.writeError(
        "mpg: the create's answer was lost, but service \(id) appeared; resetting its password to capture one once it runs\n")
      guard try await Self.waitUntilRunning(path + "/\(id)", session, call, context) else {
        context.output.writeError("mpg: service \(id) did not come up, so mpg has no password for it\n")
        return result
      }
      let reset = try await session.send(
        APIRequest("PATCH", path + "/\(id)/password", body: JSONValue(object: [])), for: call, in: context
      ).result
      for key in ["password", "connectionString"] {
        if let value = reset[key] { result = result.setting(key, to: value) ?? result }
      }
    }
    try VaultRecording.remember(result, serviceID: id, name: serviceName, session, call)
    return result
  }

  /// Polls the service at `path` (every second, Ctrl-C stops it) while it is being created; whether it
  /// then runs.
  static func waitUntilRunning(_ path: String, _ session: APISession, _ call: CommandCall, _ context: CommandContext) async throws
    -> Bool
  {
    while true {
      let state = try await session.send(APIRequest("GET", path), for: call, in: context).result["state"]?.stringValue
      guard state == "creating" else { return state == "running" }
      try await context.cancellingOnInterrupt { try await Task.sleep(nanoseconds: 1_000_000_000) }
    }
  }

  /// A service named `name` that was not there before, as if it were the create's answer.
  static func appeared(named name: String, excluding existing: Set<String>, path: String, session: APISession) async throws -> (
    id: String, response: APIResponse
  )? {
    let list = try await session.probe(APIRequest("GET", path))
    guard let services = list?.result.arrayElements else { return nil }
    guard
      let found = services.first(where: { $0["name"]?.stringValue == name && !existing.contains($0["id"]?.stringValue ?? "") }),
      let id = found["id"]?.stringValue
    else { return nil }
    guard var response = try await session.probe(APIRequest("GET", path + "/\(id)")) else { return nil }
    response.status = 200
    return (id, response)
  }
}

/// The id of a service found after an ambiguous create (set from the client's retry hook).
final class RecoveredService: @unchecked Sendable {
  var id: String?
}
