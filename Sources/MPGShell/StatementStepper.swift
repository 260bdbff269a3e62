import Builtins
import CloudAPI
import FileIO
import Interpreter
import JQ
import Outcomes

#if canImport(Glibc)
  import Glibc
#endif

/// `--echo` and `--step` (`step on|off` at the prompt): before each statement, `--echo` prints it with
/// its place, as `bash -x` does; `--step` shows it with the requests it will send and waits for a key:
/// Enter runs it, `s` skips it, `c` runs the rest without stopping, `q` quits (exit 3). Everything goes
/// to standard error through the run's output, which masks secrets; the keys are read from standard input.
final class StatementStepper: StatementObserver, @unchecked Sendable {
  /// Where the lines go (the runner's output, set once it exists).
  var output: (any OutputSink)?
  var echo: Bool
  var step: Bool
  /// Secrets to mask in previewed bodies; `nil` with --show-secrets.
  var secrets: SecretRegistry?

  init(echo: Bool = false, step: Bool = false, secrets: SecretRegistry? = SecretRegistry()) {
    self.echo = echo
    self.step = step
    self.secrets = secrets
  }

  /// Commands that send nothing to the API themselves, or run psql: they are shown, not rehearsed.
  static let local: Set<String> = [
    "echo", "load", "save", "sleep", "help", "curl", "credentials", "history", "vars", "set", "record", "step", "connect", "sql",
  ]

  func willRun(_ statement: StatementPreview, rehearse: () async throws -> Void) async throws -> StatementDecision {
    guard echo || step else { return .run }
    let indent = String(repeating: "+", count: statement.depth + 1)
    let header = "\(indent) \(statement.location)  \(statement.text)\n"
    guard step else {
      output?.writeError(header)
      return .run
    }
    var text = header
    if let name = statement.commandName {
      text += await preview(command: name, rehearse: rehearse)
    }
    output?.writeError(text)
    while true {
      output?.writeError("  [Enter] run  [s]kip  [c]ontinue  [q]uit > ")
      output?.flush()
      guard let answer = readLine(strippingNewline: true) else { throw ExitRequest(code: ExitStatus.cancelled) }
      switch answer.lowercased().filter({ !$0.isWhitespace }) {
      case "": return .run
      case "s", "skip": return .skip
      case "c", "continue":
        step = false
        return .run
      case "q", "quit": throw ExitRequest(code: ExitStatus.cancelled)
      default: continue
      }
    }
  }

  /// The requests the command will send, one per line, bodies compact with secrets masked.
  private func preview(command name: String, rehearse: () async throws -> Void) async -> String {
    if name == "connect" || name == "sql" {
      return "    then psql connects to the service (its address and CA are fetched once)\n"
    }
    guard !Self.local.contains(name) else { return "" }
    let (requests, failure) = await RequestRehearsal.collecting(rehearse)
    var text = ""
    for request in requests {
      text += "    \(request.method) \(request.target)"
      if let body = request.body {
        text += " " + (secrets.map { SecretMasking.masked(body, registry: $0) } ?? body).dumped(.compact)
      }
      text += "\n"
    }
    if name == "wait", !requests.isEmpty { text += "    (repeated until the condition holds)\n" }
    if requests.isEmpty, let failure {
      let reason = (failure as? RuntimeError)?.message ?? "\(failure)"
      text += "    (cannot show its requests yet: \(reason))\n"
    }
    return text
  }
}
