import JQ

/// One HTTP attempt in full, for `--trace=full`: what was sent and what came back. The client puts
/// `Authorization` in already masked; bodies are as sent and received (the caller masks secrets).
public struct HTTPExchange: @unchecked Sendable {
  /// `GET`, `POST`, …
  public var method: String
  /// The whole URL.
  public var url: String
  /// Request headers in the order sent, `Authorization` masked.
  public var requestHeaders: [(name: String, value: String)]
  /// The JSON body sent, if any.
  public var requestBody: JSONValue?
  /// The status, or 0 when no answer came.
  public var status: Int
  /// Response headers in the order received.
  public var responseHeaders: [(name: String, value: String)]
  /// The body received, parsed when it is JSON.
  public var responseJSON: JSONValue?
  /// The body received as text when it is not JSON (a PEM, a metrics page), or why there is none.
  public var responseText: String?
  /// Time from sending to the last byte.
  public var milliseconds: Double
  /// The request id, when the answer carried one.
  public var requestID: String?
}
