import Interpreter

/// A command that talks to the Cloud API, through the session it was made with.
public protocol APICommand: Command {
  /// Where its requests go: pacing, retries, `$last`, the dry run and the trace.
  var session: APISession { get }
  /// Whether its first positional argument names a service (an id, a name or an object with `.id`),
  /// which the prompt's completion offers from the services it knows.
  var firstArgumentIsService: Bool { get }
}

extension APICommand {
  public var firstArgumentIsService: Bool { false }
}
