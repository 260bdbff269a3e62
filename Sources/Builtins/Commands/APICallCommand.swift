import CloudAPI
import Interpreter
import JQ

/// `api METHOD PATH [BODY]`: any Cloud API path, for what has no command of its own.
public struct APICallCommand: APICommand {
  public let name = "api"
  public let summary = "Call any Cloud API path; the value is the answer's result."
  public let usage = "api METHOD PATH [BODY] [key=value | key:=json]…"
  public let examples = ["api GET /v1/organizations", #"api PATCH /v1/organizations/$ORG/postgres/$ID {name: "renamed"}"#]
  public let options = [CommandOption("from", takesValue: true, summary: "Read the body (a JSON object) from FILE.")]
  public let session: APISession

  static let methods: Set<String> = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    guard call.positionals.count >= 2 else { throw call.usageError("usage: \(usage)") }
    let method = call.positionals[0].text.uppercased()
    guard Self.methods.contains(method) else {
      throw call.usageError(
        "`\(call.positionals[0].text)` is not an HTTP method (GET, POST, PATCH, DELETE, …)", at: call.positionals[0].span)
    }
    var target = call.positionals[1].text
    guard target.hasPrefix("/") else {
      throw call.usageError("the path starts with /, e.g. /v1/organizations", at: call.positionals[1].span)
    }
    var query: [(String, String)] = []
    if let mark = target.firstIndex(of: "?") {
      for pair in target[target.index(after: mark)...].split(separator: "&") {
        let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
        query.append((parts[0], parts.count > 1 ? parts[1] : ""))
      }
      target = String(target[..<mark])
    }
    let body = try RequestBody.build(call, objects: Array(call.positionals.dropFirst(2)), context: context)
    let request = APIRequest(method, target, query: query, body: body)
    try session.refuseBeforeConnecting(request, call)
    _ = try await session.connectedClient(for: call, in: context)
    return try await session.send(request, for: call, in: context).result
  }
}
