/// Renders diagnostics the way compilers do:
///
///     deploy.mpg:3:9: error: expected `}` to close the block opened at 1:14
///       let x = (1 +
///               ^~~~
public struct DiagnosticRenderer: Sendable {
  /// Colour the output with ANSI escapes.
  public var color: Bool

  /// A renderer, coloured or plain.
  public init(color: Bool) {
    self.color = color
  }

  /// The full text of a diagnostic with its notes, ending in a newline.
  public func render(_ diagnostic: Diagnostic) -> String {
    var text = render(severity: "error", message: diagnostic.message, span: diagnostic.span)
    for note in diagnostic.notes {
      text += render(severity: "note", message: note.message, span: note.span)
    }
    if let hint = diagnostic.hint {
      text += "  " + paint("hint:", "1;36") + " \(hint)\n"
    }
    return text
  }

  private func render(severity: String, message: String, span: SourceSpan?) -> String {
    let label = severity == "error" ? paint("error:", "1;31") : paint("note:", "1;36")
    guard let span else {
      return "mpg: \(label) \(message)\n"
    }
    let (line, column) = span.file.lineAndColumn(of: span.offset)
    var text = paint("\(span.file.name):\(line):\(column):", "1") + " \(label) \(message)\n"
    let sourceLine = span.file.lineText(line)
    text += "  " + sourceLine.replacingTabs() + "\n"
    let lineEnd = span.file.offset(ofLine: line) + sourceLine.utf8.count
    let spanEnd = min(span.offset + max(span.length, 1), lineEnd)
    let width = max(1, span.file.text(span.offset..<max(span.offset, spanEnd)).count)
    let marker = "^" + String(repeating: "~", count: width - 1)
    text += "  " + String(repeating: " ", count: column - 1) + paint(marker, "1;32") + "\n"
    return text
  }

  private func paint(_ text: String, _ code: String) -> String {
    color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }
}

extension String {
  /// Tabs shown as single spaces so carets computed from columns line up. Works on bytes: mapping
  /// characters took seconds on a 250 KB line in a debug build.
  fileprivate func replacingTabs() -> String {
    String(decoding: utf8.map { $0 == 0x09 ? 0x20 : $0 }, as: UTF8.self)
  }
}
