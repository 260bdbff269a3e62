import JQ

/// One call to the API: a method, a path under the base URL, query parameters and an optional JSON body.
public struct APIRequest: @unchecked Sendable {
  /// `GET`, `POST`, `PATCH`, `DELETE`, …
  public var method: String
  /// The path, e.g. `/v1/organizations`.
  public var path: String
  /// Query parameters in order.
  public var query: [(String, String)]
  /// The JSON body, if any.
  public var body: JSONValue?

  /// A request; `method` is upper-cased.
  public init(_ method: String, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil) {
    self.method = method.uppercased()
    self.path = path
    self.query = query
    self.body = body
  }

  /// The path with its query string, percent-encoded.
  public var target: String {
    guard !query.isEmpty else { return path }
    return path + "?" + query.map { "\(URLText.encodeComponent($0.0))=\(URLText.encodeComponent($0.1))" }.joined(separator: "&")
  }

  /// Whether it may change something (anything but GET and HEAD): read-only mode refuses it.
  public var changesSomething: Bool {
    method != "GET" && method != "HEAD"
  }

  /// Whether sending it twice has the same effect as once (the client may retry it blindly). A POST
  /// makes something each time; a state command (`PATCH …/state`: restart, promote, switchover) sent
  /// again after it took effect is refused, the service being busy with the first.
  public var isIdempotent: Bool {
    method != "POST" && !(method == "PATCH" && path.hasSuffix("/state"))
  }
}

/// Percent-encoding for query components and paths.
public enum URLText {
  /// Encodes everything but RFC 3986's unreserved characters.
  public static func encodeComponent(_ text: String) -> String {
    var output = ""
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
        UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
        output.unicodeScalars.append(Unicode.Scalar(byte))
      default:
        output += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
      }
    }
    return output
  }
}

extension String {
  func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}
