import Hummingbird
import JQ

/// Builds responses in the Cloud API's envelope, printed by jq's own dumper.
enum Envelope {
  /// `{"result": …, "requestId": …, "status": 200}`; DELETE answers without `result`.
  static func success(_ result: JSONValue?, requestID: String) -> Response {
    var members: [(String, JSONValue)] = []
    if let result { members.append(("result", result)) }
    members += [("requestId", JSONValue(requestID)), ("status", JSONValue(200))]
    return json(JSONValue(object: members), status: .ok)
  }

  /// `{"status": N, "error": "CODE: detail", "requestId": …}`.
  static func failure(_ error: APIError, requestID: String) -> Response {
    let body = JSONValue(object: [
      ("status", JSONValue(Int(error.status.code))), ("error", JSONValue(error.text)), ("requestId", JSONValue(requestID)),
    ])
    var response = json(body, status: error.status)
    for field in error.headers { response.headers.append(field) }
    return response
  }

  static func json(_ value: JSONValue, status: HTTPResponse.Status) -> Response {
    Response(
      status: status,
      headers: [.contentType: "application/json"],
      body: ResponseBody(byteBuffer: ByteBuffer(string: value.dumped(.compact)))
    )
  }
}
