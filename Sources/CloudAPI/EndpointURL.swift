/// A base URL split into what the HTTP client needs: `https://api.clickhouse.cloud`,
/// `http://127.0.0.1:8080`. Paths and queries are not allowed in it.
public struct EndpointURL: Sendable, Equatable, CustomStringConvertible {
  /// `http` or `https`.
  public let scheme: String
  /// The host name or address.
  public let host: String
  /// The port, when given.
  public let port: Int?

  /// Parses a base URL; `nil` when it is not `http(s)://HOST[:PORT]` (a trailing `/` is fine).
  public init?(_ text: String) {
    var rest = Substring(text)
    guard let separator = rest.range(of: "://") else { return nil }
    let scheme = rest[..<separator.lowerBound].lowercased()
    guard scheme == "http" || scheme == "https" else { return nil }
    rest = rest[separator.upperBound...]
    while rest.hasSuffix("/") { rest.removeLast() }
    guard !rest.isEmpty, !rest.contains("/"), !rest.contains("?"), !rest.contains("@") else { return nil }
    var host = String(rest)
    var port: Int?
    if let colon = rest.lastIndex(of: ":"), !rest.hasSuffix("]") {
      guard let parsed = Int(rest[rest.index(after: colon)...]), (1...65535).contains(parsed) else { return nil }
      host = String(rest[..<colon])
      port = parsed
    }
    guard !host.isEmpty else { return nil }
    self.scheme = scheme
    self.host = host
    self.port = port
  }

  /// The normalised base URL.
  public var description: String {
    "\(scheme)://\(host)" + (port.map { ":\($0)" } ?? "")
  }
}
