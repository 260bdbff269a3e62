import CloudAPI
import Interpreter
import JQ
import PostgresAPISpec

/// `replica REF name=…`: a read replica of a service (a new service that streams from it).
public struct ReplicaCommand: APICommand {
  public let name = "replica"
  public let summary = "Create a read replica of a service; it shares the primary's password."
  public let usage = "replica REF name=NAME [pgConfig:={…}] [pgBouncerConfig:={…}] [tags:=[…]]"
  public let examples = ["let ro = replica $pg name=reports", "replica my-db name=my-db-ro | .state"]
  public let options = [CommandOption("from", takesValue: true, summary: "Read the body (a JSON object) from FILE.")]
  public let session: APISession
  public var firstArgumentIsService: Bool { true }

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    guard let reference = call.positionals.first else { throw call.usageError("usage: \(usage)") }
    guard let body = try RequestBody.build(call, objects: Array(call.positionals.dropFirst()), context: context),
      body["name"] != nil
    else {
      throw call.usageError("a replica needs a name: replica REF name=NAME")
    }
    try BodyChecks.check(call) { () throws(ValidationFailure) in try BodyChecks.validator.validateReadReplica(body) }
    try await session.requireWritable(for: call, in: context)
    let (id, path) = try await session.servicePath(of: reference, suffix: "/readReplica", for: call, in: context)
    let result = try await session.send(APIRequest("POST", path, body: body), for: call, in: context).result
    try inheritPassword(from: id, to: result)
    return result
  }

  /// A replica logs in with its primary's password: keep it under the replica's id too.
  private func inheritPassword(from primary: String, to replica: JSONValue) throws {
    guard let replicaID = replica["id"]?.stringValue, let organization = session.organizationID,
      var entry = try? session.vault.entry(organizationID: organization, serviceID: primary)
    else { return }
    entry.serviceID = replicaID
    entry.serviceName = replica["name"]?.stringValue
    try? session.vault.store(entry)
  }
}
