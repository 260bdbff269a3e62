import CloudAPI
import JQ

/// A request written as an equivalent curl command, with `$KEY_ID:$KEY_SECRET` in place of the key
/// so it can be pasted into documentation or a shell that has them set.
enum CurlCommand {
  static func text(for request: APIRequest, endpoint: EndpointURL, showSecrets: Bool) -> String {
    var words = ["curl", "-s"]
    if request.method != "GET" { words += ["-X", request.method] }
    words += ["--user", "\"$KEY_ID:$KEY_SECRET\""]
    if let body = request.body {
      let shown = showSecrets ? body : SecretMasking.masked(body)
      words += ["-H", "'Content-Type: application/json'", "-d", shellQuoted(shown.dumped(.compact))]
    }
    // A URL with a placeholder (`$CLICKHOUSE_CLOUD_ORG_ID`) in double quotes, so the shell fills it in.
    let url = endpoint.description + request.target
    words.append(url.contains("$") ? "\"" + url + "\"" : shellQuoted(url))
    return words.joined(separator: " ")
  }

  /// Single-quoted for POSIX shells.
  static func shellQuoted(_ text: String) -> String {
    "'" + text.replacingAll("'", with: #"'\''"#) + "'"
  }
}

extension String {
  /// The string with every occurrence of `target` replaced (no Foundation on this path).
  public func replacingAll(_ target: String, with replacement: String) -> String {
    guard !target.isEmpty else { return self }
    var result = ""
    var rest = Substring(self)
    while let range = rest.range(of: target) {
      result += rest[..<range.lowerBound]
      result += replacement
      rest = rest[range.upperBound...]
    }
    return result + rest
  }
}
