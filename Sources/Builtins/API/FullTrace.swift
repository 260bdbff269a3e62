import CloudAPI
import Interpreter
import JQ

/// `--trace=full` (`-v`): each request and its answer as an HTTP exchange, as HTTPie's `-v` shows one,
/// on standard error: method and URL, headers (`Authorization` masked), the body pretty-printed with
/// passwords, connection strings and every secret the session knows masked, then the status, time,
/// request id, response headers and body.
struct FullTrace {
  /// Whether to colour it (standard error is a terminal and NO_COLOR is unset).
  let color: Bool
  /// Secrets to mask; `nil` with `--show-secrets`.
  let secrets: SecretRegistry?

  /// The text of one exchange, ending with a blank line.
  func text(of exchange: HTTPExchange) -> String {
    var text = paint(exchange.method, "1;36") + " " + paint(exchange.url, "1") + "\n"
    for header in exchange.requestHeaders { text += paint(header.name, "36") + ": " + header.value + "\n" }
    if let body = exchange.requestBody { text += "\n" + shown(body) + "\n" }
    text += "\n"
    if exchange.status == 0 {
      text +=
        paint("no answer", "1;31") + " after \(APISession.format(exchange.milliseconds)) ms: \(exchange.responseText ?? "")\n\n"
      return text
    }
    let statusColor = exchange.status < 300 ? "1;32" : exchange.status < 500 ? "1;33" : "1;31"
    text += paint("HTTP \(exchange.status)", statusColor) + "  \(APISession.format(exchange.milliseconds)) ms"
    text += exchange.requestID.map { "  request \($0)" } ?? ""
    text += "\n"
    for header in exchange.responseHeaders { text += paint(header.name, "36") + ": " + header.value + "\n" }
    if let json = exchange.responseJSON {
      text += "\n" + shown(json) + "\n"
    } else if let body = exchange.responseText, !body.isEmpty {
      text += "\n" + (secrets.map { $0.masking(body) } ?? body) + (body.hasSuffix("\n") ? "" : "\n")
    }
    return text + "\n"
  }

  private func shown(_ value: JSONValue) -> String {
    let masked = secrets.map { SecretMasking.masked(value, registry: $0) } ?? value
    return masked.dumped(PrintOptions(indent: 2, color: color))
  }

  private func paint(_ text: String, _ code: String) -> String {
    color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }
}
