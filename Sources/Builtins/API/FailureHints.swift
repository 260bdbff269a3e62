import CloudAPI
import Interpreter
import JQ

/// The way out of API errors that have a known one, printed as a `hint:` line under the error: what to
/// wait for, which credential was used, why the API asked to slow down, the window a restore can reach.
enum FailureHints {
  /// A hint for `failure`, answering `request` sent by `call`, or `nil`. `session` may be asked one
  /// quiet GET (the service's restore window) when that is what the hint needs.
  static func hint(
    for failure: APIFailure, request: APIRequest, _ call: CommandCall, _ session: APISession, credentialSource: String?
  ) async -> String? {
    let text = failure.error.lowercased()
    let reference = call.positionals.first.map { referenceText($0) } ?? "$pg"
    switch failure.status {
    case 401:
      return "the API refused the key from \(credentialSource ?? "?"): check CLICKHOUSE_CLOUD_API_KEY and _SECRET, .env, "
        + "or `mpg profile show NAME`; keys are made in the Cloud console under API keys"
    case 403:
      return "the key from \(credentialSource ?? "?") may not reach this organization, or lack the role for this change: "
        + "check --org (or CLICKHOUSE_CLOUD_ORG_ID) and the key's role"
    case 429:
      let pacing = session.options.pacing.map { "\($0.requests) per \(APISession.format($0.seconds)) s" } ?? "off"
      return "ClickHouse Cloud allows 10 requests per 10 s per key; mpg paces this session at \(pacing) (--rate-limit), "
        + "so another client may be using the same key"
    default:
      break
    }
    if text.contains("no backups"), request.target.hasSuffix("/readReplica") || request.target.hasSuffix("/restoredService") {
      return "a new service takes its first backup a few minutes after it starts running; wait for it: "
        + "wait \(reference) until (.earliestRestoreTime != null)"
    }
    if request.target.hasSuffix("/restoredService"), text.contains("restoretarget") || text.contains("restore time") {
      let servicePath = String(request.target.dropLast("/restoredService".count))
      let earliest = try? await session.probe(APIRequest("GET", servicePath))?.result["earliestRestoreTime"]?.stringValue
      let start = earliest.map { "from \($0)" } ?? "from the service's earliestRestoreTime"
      return "a restore can reach any moment \(start) up to now; `get \(reference) | .earliestRestoreTime` shows the start"
    }
    return nil
  }

  /// The reference as written (`$pg`, `my-db`), for a hint the user can paste.
  private static func referenceText(_ argument: CallValue) -> String {
    let span = argument.span
    let text = span.file.text(span.offset..<span.offset + span.length)
    return text.isEmpty ? "$pg" : text
  }
}
