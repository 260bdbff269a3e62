import Outcomes

/// mpg could not prepare to talk to the API: no credentials, an unreadable profile, a vault that
/// cannot be written. The message says what to do; `exitCode` is 4 for authentication problems.
public struct SetupFailure: Error, Sendable, CustomStringConvertible {
  /// What went wrong and how to fix it.
  public var message: String
  /// The process exit code if it ends the run.
  public var exitCode: Int32
  /// A category for `catch`: `auth` or `setup`.
  public var kind: ErrorKind

  /// A failure with a message (exit code 1 unless given).
  public init(_ message: String, kind: ErrorKind = .setup, exitCode: Int32 = ExitStatus.runtimeError) {
    self.message = message
    self.kind = kind
    self.exitCode = exitCode
  }

  public var description: String { message }
}
