/// A located problem in a script: a syntax error found before running, or a runtime failure.
public struct Diagnostic: Error, Sendable {
  /// What went wrong, in one sentence without a trailing period.
  public var message: String
  /// Where, when known.
  public var span: SourceSpan?
  /// Extra located lines, such as the chain of `fn` calls or where a bracket was opened.
  public var notes: [Note]
  /// What to do about it, when there is a known way out (`wait $pg until (…)`): printed last.
  public var hint: String?

  /// A further located remark printed after the main message.
  public struct Note: Sendable {
    /// The remark.
    public var message: String
    /// Where it points.
    public var span: SourceSpan?

    /// A note with the given message and span.
    public init(_ message: String, at span: SourceSpan?) {
      self.message = message
      self.span = span
    }
  }

  /// A diagnostic with the given message, span and notes.
  public init(_ message: String, at span: SourceSpan?, notes: [Note] = [], hint: String? = nil) {
    self.message = message
    self.span = span
    self.notes = notes
    self.hint = hint
  }
}

/// Every syntax error of a script, found before anything ran (exit code 2).
public struct SyntaxErrors: Error, Sendable {
  /// The errors in source order.
  public var diagnostics: [Diagnostic]
}
