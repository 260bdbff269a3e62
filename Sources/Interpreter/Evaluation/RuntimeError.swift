import JQ
import Outcomes

/// A failure while running a script; `try … catch` catches it, otherwise it ends the run.
public struct RuntimeError: Error, @unchecked Sendable {
  /// The category users test in `catch` (`$e.kind` is its raw value).
  public var kind: ErrorKind
  /// What went wrong.
  public var message: String
  /// Where, when known.
  public var span: SourceSpan?
  /// The value raised by jq's `error(…)`, when there is one.
  public var value: JSONValue?
  /// Extra members for the error object that `catch` binds (an API error's status, request id, …).
  public var details: [(String, JSONValue)]
  /// The process exit code if this error ends the run (1 unless a command says otherwise).
  public var exitCode: Int32
  /// What to do about it, when there is a known way out; printed on a line of its own.
  public var hint: String?
  /// The `fn` calls the error passed through, innermost first.
  var callChain: [(name: String, span: SourceSpan)] = []
  /// Further located lines printed after the message (each failed iteration of a `parallel for`).
  var notes: [Diagnostic.Note] = []

  /// A runtime error of `kind` with a message and optional location.
  public init(
    kind: ErrorKind, message: String, at span: SourceSpan? = nil, value: JSONValue? = nil, details: [(String, JSONValue)] = [],
    exitCode: Int32 = ExitStatus.runtimeError, hint: String? = nil
  ) {
    self.kind = kind
    self.message = message
    self.span = span
    self.value = value
    self.details = details
    self.exitCode = exitCode
    self.hint = hint
  }

  /// The object `catch NAME` binds: `{message, kind, location: {file, line, column}, value?, …}`.
  public var errorObject: JSONValue {
    var members: [(String, JSONValue)] = [("message", JSONValue(message)), ("kind", JSONValue(kind.rawValue))]
    if let span {
      members.append(
        (
          "location",
          JSONValue(object: [
            ("file", JSONValue(span.file.name)), ("line", JSONValue(span.line)), ("column", JSONValue(span.column)),
          ])
        ))
    } else {
      members.append(("location", .null))
    }
    if let value { members.append(("value", value)) }
    if let hint { members.append(("hint", JSONValue(hint))) }
    members += details
    return JSONValue(object: members)
  }

  /// The error as a diagnostic, with the `fn` call chain as notes. Consecutive calls from the same
  /// place (a recursion) become one note with a count, so runaway recursion does not print 1000 notes.
  public var diagnostic: Diagnostic {
    var notes: [Diagnostic.Note] = []
    var index = 0
    while index < callChain.count {
      let call = callChain[index]
      var repeats = 1
      while index + repeats < callChain.count, callChain[index + repeats].name == call.name,
        callChain[index + repeats].span.file === call.span.file, callChain[index + repeats].span.offset == call.span.offset
      {
        repeats += 1
      }
      let count = repeats > 1 ? " (\(repeats) times)" : ""
      notes.append(.init("in `\(call.name)`, called here\(count)", at: call.span))
      index += repeats
    }
    return Diagnostic(message, at: span, notes: notes + self.notes, hint: hint)
  }
}

/// `exit [CODE]` (or jq's `halt`): stop the whole run with this code.
public struct ExitRequest: Error, Sendable {
  /// The process exit code.
  public var code: Int32

  /// A request to exit with `code`.
  public init(code: Int32) {
    self.code = code
  }
}

/// The user interrupted the run (Ctrl-C): exit code 130 in a script.
public struct Interruption: Error, Sendable {
  /// An interruption.
  public init() {}
}
