import CloudAPI
import JQ

/// What `--dry-run` answers instead of the API: a result shaped like the real one where that is
/// easy (lists are empty, objects carry the body and the id from the path), always marked
/// `"dryRun": true` so a previewed runbook can tell.
enum DryRun {
  static let placeholderID = "00000000-0000-4000-8000-000000000000"

  static func response(for request: APIRequest, placeholder: JSONValue?) -> APIResponse {
    let result = placeholder ?? defaultResult(for: request)
    let envelope = JSONValue(object: [("result", result), ("requestId", JSONValue("dry-run")), ("status", JSONValue(200))])
    return APIResponse(
      status: 200, method: request.method, path: request.target, contentType: "application/json",
      body: [], json: envelope, requestID: "dry-run", milliseconds: 0, attempts: 0
    )
  }

  static func defaultResult(for request: APIRequest) -> JSONValue {
    let segments = request.path.split(separator: "/")
    if request.method == "GET", let last = segments.last, last == "postgres" || last == "organizations" {
      return JSONValue(array: [])
    }
    var members: [(String, JSONValue)] = [("dryRun", JSONValue(true))]
    let id = segments.count >= 5 && segments[3] == "postgres" ? String(segments[4]) : placeholderID
    members.append(("id", JSONValue(id)))
    members.append(("state", JSONValue("running")))
    for (key, value) in request.body?.objectMembers ?? [] where key != "id" && key != "state" {
      members.append((key, value))
    }
    return JSONValue(object: members)
  }
}
