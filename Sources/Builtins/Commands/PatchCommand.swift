import CloudAPI
import Interpreter
import JQ
import PostgresAPISpec

/// `patch REF key=value…`: changes name, size, haType or tags (a JSON merge patch).
public struct PatchCommand: APICommand {
  public let name = "patch"
  public let summary = "Change a service's name, size, haType or tags (tags replace the whole list)."
  public let usage = "patch REF [BODY] [--from FILE] [key=value | key:=json]…"
  public let examples = ["patch $pg size=r8gd.xlarge", #"patch my-db tags:=[{key: "env", value: "prod"}]"#]
  public let options = [CommandOption("from", takesValue: true, summary: "Read the body (a JSON object) from FILE.")]
  public let session: APISession
  public var firstArgumentIsService: Bool { true }

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    guard let reference = call.positionals.first else { throw call.usageError("usage: \(usage)") }
    guard let body = try RequestBody.build(call, objects: Array(call.positionals.dropFirst()), context: context) else {
      throw call.usageError("patch needs something to change, e.g. `patch REF size=r8gd.xlarge`")
    }
    let provider = reference.value["provider"]?.stringValue ?? "aws"
    try BodyChecks.check(call) { () throws(ValidationFailure) in try BodyChecks.validator.validatePatch(body, provider: provider)
    }
    try await session.requireWritable(for: call, in: context)
    let (id, path) = try await session.servicePath(of: reference, for: call, in: context)
    return try await session.send(APIRequest("PATCH", path, body: body), for: call, in: context).result
  }
}
