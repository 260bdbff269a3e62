/// Something that sees each statement before it runs: `--echo` prints it, `--step` shows it and asks
/// whether to run it. The interpreter knows no terminal; the shell supplies the observer.
public protocol StatementObserver: AnyObject, Sendable {
  /// Called before `statement` runs; its answer runs it, skips it, or (by throwing, such as an
  /// `ExitRequest`) ends the run. `rehearse` calls the statement's command with its arguments as they
  /// evaluate now (nothing when it is not a command statement), for an observer that looks ahead at
  /// what the command would send; it does not bind or print.
  func willRun(_ statement: StatementPreview, rehearse: () async throws -> Void) async throws -> StatementDecision
}

/// What an observer may do with a statement.
public enum StatementDecision: Sendable {
  case run
  case skip
}

/// A statement about to run, as a person reads it.
public struct StatementPreview: Sendable {
  /// The file's name as given (`scripts/demo.mpg`, `<command line>`).
  public let fileName: String
  /// 1-based line and column of its first character.
  public let line: Int
  public let column: Int
  /// Its text: the whole statement when it fits on one line, else its first line (`if $x {`).
  public let text: String
  /// The command it calls, when it is a command statement (`create`, `wait`): what `--step` can
  /// preview requests for.
  public let commandName: String?
  /// How deep it is nested in blocks and `fn` calls (0 at the top of a file).
  public let depth: Int

  /// `file:line`, as errors name places.
  public var location: String { "\(fileName):\(line)" }
}
