import JQ

/// An answer from the API, with the facts a script sees in `$last`.
public struct APIResponse: @unchecked Sendable {
  /// The HTTP status.
  public var status: Int
  /// The request that produced it.
  public var method: String
  /// The request's path (with its query).
  public var path: String
  /// The `Content-Type` header.
  public var contentType: String?
  /// The raw body.
  public var body: [UInt8]
  /// The body parsed by jq's parser when it is JSON.
  public var json: JSONValue?
  /// The request id from the envelope (or the response headers).
  public var requestID: String?
  /// Time from sending to the last byte, in milliseconds (the final attempt).
  public var milliseconds: Double
  /// How many attempts it took (1 without retries).
  public var attempts: Int
  /// Seconds the server asked us to wait (`Retry-After` or `X-RateLimit-Reset`).
  public var retryAfter: Double? = nil

  /// A response with every fact given.
  public init(
    status: Int, method: String, path: String, contentType: String?, body: [UInt8], json: JSONValue?,
    requestID: String?, milliseconds: Double, attempts: Int
  ) {
    self.status = status
    self.method = method
    self.path = path
    self.contentType = contentType
    self.body = body
    self.json = json
    self.requestID = requestID
    self.milliseconds = milliseconds
    self.attempts = attempts
  }

  /// What a command returns: the envelope's `result` for JSON, the text for anything else (PEM,
  /// Prometheus exposition), `null` for an empty body.
  public var result: JSONValue {
    if let json {
      if json.kind == .object, let result = json["result"] { return result }
      if json.kind == .object, json["status"] != nil, json["requestId"] != nil { return .null }
      return json
    }
    if body.isEmpty { return .null }
    return JSONValue(String(decoding: body, as: UTF8.self))
  }

  /// `{status, requestId, method, path, ms}` for `$last`.
  public var facts: JSONValue {
    JSONValue(object: [
      ("status", JSONValue(status)), ("requestId", requestID.map { JSONValue($0) } ?? .null),
      ("method", JSONValue(method)), ("path", JSONValue(path)),
      ("ms", JSONValue((milliseconds * 10).rounded() / 10)), ("attempts", JSONValue(attempts)),
    ])
  }
}
