import JQ

/// The API answered with an error status.
public struct APIFailure: Error, @unchecked Sendable, CustomStringConvertible {
  /// The HTTP status.
  public var status: Int
  /// The API's `error` text, e.g. `BAD_REQUEST: Invalid Postgres service id`.
  public var error: String
  /// The request id, when the API gave one.
  public var requestID: String?
  /// The request's method.
  public var method: String
  /// The request's path.
  public var path: String
  /// The whole response, for `$last`.
  public var response: APIResponse

  /// Reads the error envelope of a failed response (or makes the best of a body that is not one).
  public init(response: APIResponse) {
    status = response.status
    method = response.method
    path = response.path
    requestID = response.requestID
    self.response = response
    if let text = response.json?["error"]?.stringValue {
      error = text
    } else if let json = response.json {
      error = json.dumped(.compact)
    } else {
      let text = String(decoding: response.body.prefix(300), as: UTF8.self).trimmingWhitespace
      error = text.isEmpty ? Self.reason(for: response.status) : text
    }
  }

  /// `PATCH /v1/…/postgres/ID → 400 BAD_REQUEST: … (request ID …)`.
  public var description: String {
    var text = "\(method) \(path) → \(status) \(error)"
    if let requestID { text += " (request ID \(requestID))" }
    return text
  }

  /// The members a `catch` binding gets besides message and kind.
  public var details: [(String, JSONValue)] {
    [
      ("status", JSONValue(status)), ("error", JSONValue(error)),
      ("requestId", requestID.map { JSONValue($0) } ?? .null),
      ("method", JSONValue(method)), ("path", JSONValue(path)),
    ]
  }

  static func reason(for status: Int) -> String {
    switch status {
    case 400: "BAD_REQUEST"
    case 401: "UNAUTHORIZED"
    case 403: "FORBIDDEN"
    case 404: "NOT_FOUND"
    case 409: "CONFLICT"
    case 429: "TOO_MANY_REQUESTS"
    case 500: "INTERNAL_SERVER_ERROR"
    case 502: "BAD_GATEWAY"
    case 503: "SERVICE_UNAVAILABLE"
    case 504: "GATEWAY_TIMEOUT"
    default: "HTTP \(status)"
    }
  }
}

/// The request never got an answer: no connection, a reset, a timeout.
public struct TransportFailure: Error, Sendable, CustomStringConvertible {
  /// The request's method.
  public var method: String
  /// The request's path.
  public var path: String
  /// The endpoint it tried.
  public var endpoint: String
  /// What happened, in words.
  public var reason: String

  public var description: String {
    "\(method) \(path): no answer from \(endpoint): \(reason)"
  }
}

extension String {
  var trimmingWhitespace: String {
    var text = Substring(self)
    while let first = text.first, first.isWhitespace { text.removeFirst() }
    while let last = text.last, last.isWhitespace { text.removeLast() }
    return String(text)
  }
}
