import CloudAPI
import Interpreter
import JQ
import PostgresAPISpec

/// `restore REF name=… at=TIME`: a new service restored from a service's backups to a point in time.
public struct RestoreCommand: APICommand {
  public let name = "restore"
  public let summary = "Restore a service to a point in time as a new service (the source is unchanged)."
  public let usage = "restore REF name=NAME at=TIME [pgConfig:={…}] [tags:=[…]]"
  public let examples = [#"let copy = restore $pg name=before-migration at="2026-11-30T09:00:00Z""#]
  public let options = [CommandOption("from", takesValue: true, summary: "Read the body (a JSON object) from FILE.")]
  public let session: APISession
  public var firstArgumentIsService: Bool { true }

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    guard let reference = call.positionals.first else { throw call.usageError("usage: \(usage)") }
    guard var body = try RequestBody.build(call, objects: Array(call.positionals.dropFirst()), context: context) else {
      throw call.usageError("usage: \(usage)")
    }
    // `at=` is mpg's short name for the API's `restoreTarget`.
    if let at = body["at"], let members = body.objectMembers {
      body = JSONValue(object: members.filter { $0.key != "at" } + [("restoreTarget", at)])
    }
    guard body["name"] != nil, body["restoreTarget"] != nil else {
      throw call.usageError("a restore needs name=NAME and at=TIME (RFC 3339, e.g. 2026-11-30T09:00:00Z)")
    }
    let checked = body
    try BodyChecks.check(call) { () throws(ValidationFailure) in try BodyChecks.validator.validateRestore(checked) }
    try await session.requireWritable(for: call, in: context)
    let (id, path) = try await session.servicePath(of: reference, suffix: "/restoredService", for: call, in: context)
    let result = try await session.send(APIRequest("POST", path, body: body), for: call, in: context).result
    if let newID = result["id"]?.stringValue {
      if result["password"] != nil {
        try VaultRecording.remember(result, serviceID: newID, name: result["name"]?.stringValue, session, call)
      } else if let organization = session.organizationID,
        var entry = try? session.vault.entry(organizationID: organization, serviceID: id)
      {
        // A restored service keeps its source's password.
        entry.serviceID = newID
        entry.serviceName = result["name"]?.stringValue
        try? session.vault.store(entry)
      }
    }
    return result
  }
}
