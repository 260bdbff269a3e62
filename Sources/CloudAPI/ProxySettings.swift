#if canImport(Glibc)
  import Glibc
#endif

/// The proxy from `HTTPS_PROXY`/`HTTP_PROXY` (either case), unless `NO_PROXY` names the host.
struct ProxySettings: Equatable {
  var host: String
  var port: Int
  /// `user:password` from the proxy URL, if it had one.
  var userInfo: String?

  /// The proxy to use for `host` over `scheme`, from `environment`.
  static func forHost(_ host: String, scheme: String, environment: [String: String]) -> ProxySettings? {
    func value(_ name: String) -> String? {
      let found = environment[name.lowercased()] ?? environment[name.uppercased()]
      return found?.isEmpty == false ? found : nil
    }
    if let noProxy = value("no_proxy"), bypasses(host: host, noProxy: noProxy) { return nil }
    guard let url = scheme == "https" ? value("https_proxy") : value("http_proxy") else { return nil }
    return parse(url)
  }

  /// `NO_PROXY`: `*`, or a comma list of hosts and domain suffixes (`.example.com`, `example.com`).
  static func bypasses(host: String, noProxy: String) -> Bool {
    let host = host.lowercased()
    for entry in noProxy.split(separator: ",") {
      var pattern = String(entry).trimmingWhitespace.lowercased()
      if pattern == "*" { return true }
      if let colon = pattern.lastIndex(of: ":"), !pattern.contains("]") { pattern = String(pattern[..<colon]) }
      if pattern.hasPrefix(".") { pattern.removeFirst() }
      guard !pattern.isEmpty else { continue }
      if host == pattern || host.hasSuffix("." + pattern) { return true }
    }
    return false
  }

  /// `http://user:pass@proxy.example:3128` or `proxy.example:3128`.
  static func parse(_ url: String) -> ProxySettings? {
    var rest = Substring(url)
    if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
    if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
    var userInfo: String?
    if let at = rest.lastIndex(of: "@") {
      userInfo = String(rest[..<at])
      rest = rest[rest.index(after: at)...]
    }
    var host = String(rest)
    var port = 80
    if let colon = rest.lastIndex(of: ":"), let parsed = Int(rest[rest.index(after: colon)...]) {
      host = String(rest[..<colon])
      port = parsed
    }
    guard !host.isEmpty else { return nil }
    return ProxySettings(host: host, port: port, userInfo: userInfo)
  }
}
