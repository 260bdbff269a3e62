/// What kind of failure a `RuntimeError` is: what `$e.kind` says to a `catch` (as its raw value,
/// which scripts test and which must not change); `meaning` says what each is, for the reference's table.
public enum ErrorKind: String, Sendable, CaseIterable {
  case usage
  case io
  case value
  case jq
  case assert
  case api
  case network
  case auth
  case setup
  case credentials
  case notFound = "not_found"
  case ambiguous
  case state
  case wait
  case timeout
  case sql
  case readOnly = "read_only"
  case cancelled
  case parallel
  case error

  /// What the kind means, in one line (for the reference's table).
  public var meaning: String {
    switch self {
    case .usage: "a command, option or argument used wrongly (exit 2)"
    case .io: "a file could not be read or written"
    case .value: "a value of the wrong shape or count, or a variable not set"
    case .jq: "a jq expression failed"
    case .assert: "an `assert` did not hold"
    case .api: "the API answered with an error; see `status`, `error`, `requestId`"
    case .network: "no answer from the API (refused, reset, timed out, TLS)"
    case .auth: "the API key is missing, incomplete or refused (exit 4)"
    case .setup: "preparing to reach the API failed (profiles, state directory, local twin)"
    case .credentials: "a service's password is unknown here or could not be kept"
    case .notFound: "nothing has that name or id"
    case .ambiguous: "several services have that name"
    case .state: "the service is not in a state that allows it"
    case .wait: "`wait`'s `--fail-if` condition held (default: unavailable)"
    case .timeout: "`wait` gave up after `--timeout`"
    case .sql: "a SQL statement failed, or psql could not run"
    case .readOnly: "read-only mode kept back a change (exit 2)"
    case .cancelled: "a confirmation was answered no (exit 3)"
    case .parallel: "iterations of a `parallel for` failed; see `failures`"
    case .error: "anything else, in the underlying error's words"
    }
  }
}
