/// A jq program that does not compile, with one clean diagnostic per problem jq reported.
public struct JQCompileError: Error, CustomStringConvertible, Sendable {
  /// One problem jq found.
  public struct Diagnostic: Sendable, Equatable {
    /// The message without jq's prefix, program echo and shell-quoting hint.
    public var message: String
    /// The 1-based line jq blamed in the program text, when it said.
    public var line: Int?

    /// A diagnostic with the given message and line.
    public init(message: String, line: Int?) {
      self.message = message
      self.line = line
    }

    /// Cleans one message from jq 1.6's error callback, or `nil` for its "N compile errors" summary.
    ///
    /// jq sends e.g. `jq: error: syntax error, unexpected $end (Unix shell quoting issues?) at
    /// <top-level>, line 1:\n1 +  `: prefix, hint, location and an echo of the program.
    init?(jqMessage: String) {
      var text = Substring(jqMessage)
      if text.hasPrefix("jq: error: ") {
        text = text.dropFirst("jq: error: ".count)
      } else if text.hasPrefix("jq: ") {
        return nil  // "jq: 1 compile error" and similar summaries
      }
      var line: Int?
      if let marker = text.firstRange(of: " at <top-level>, line ") {
        let digits = text[marker.upperBound...].prefix { $0.isNumber }
        line = Int(digits)
        text = text[..<marker.lowerBound]
      } else if let newline = text.firstIndex(of: "\n") {
        text = text[..<newline]
      }
      if let hint = text.firstRange(of: " (Unix shell quoting issues?)") {
        text.removeSubrange(hint)
      }
      self.init(message: text.trimmingCharacters(), line: line)
    }
  }

  /// Every problem, in the order jq reported them.
  public let diagnostics: [Diagnostic]

  public var description: String {
    diagnostics.map(\.message).joined(separator: "\n")
  }
}

extension Substring {
  fileprivate func trimmingCharacters() -> String {
    String(self.drop { $0 == " " || $0 == "\n" }.reversed().drop { $0 == " " || $0 == "\n" }.reversed())
  }
}
