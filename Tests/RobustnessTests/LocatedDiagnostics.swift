@testable import Interpreter

/// Checks that a rejection tells the user where: every diagnostic (and note) has a non-empty message
/// and a span inside its file, and renders as `FILE:LINE:COL: error: …` with a line and column that
/// exist in that file.
enum LocatedDiagnostics {
  private static let renderer = DiagnosticRenderer(color: false)

  /// What is wrong with `diagnostics` as reports about `file`; empty when all are located and render.
  static func problems(in diagnostics: [Diagnostic], of file: SourceFile) -> [String] {
    var problems: [String] = []
    for diagnostic in diagnostics {
      let rendered = renderer.render(diagnostic)
      problems += locationProblems(diagnostic.message, diagnostic.span, in: file, rendered: rendered, severity: "error")
      for note in diagnostic.notes {
        let renderedNote = renderer.render(Diagnostic(note.message, at: note.span))
        problems += locationProblems(
          note.message, note.span, in: note.span?.file ?? file, rendered: renderedNote, severity: "note")
      }
    }
    return problems
  }

  /// Problems with one message and span, given the text the renderer made of them.
  private static func locationProblems(
    _ message: String, _ span: SourceSpan?, in file: SourceFile, rendered: String, severity: String
  ) -> [String] {
    let label = "\(severity) `\(message)`"
    if message.allSatisfy(\.isWhitespace) { return ["\(severity) with an empty message"] }
    guard let span else { return ["\(label) has no location"] }
    guard span.file === file else { return ["\(label) points into another file, \(span.file.name)"] }
    let size = span.file.bytes.count
    guard span.offset >= 0, span.length >= 0, span.offset + span.length <= size else {
      return ["\(label) has span \(span.offset)+\(span.length) outside a file of \(size) bytes"]
    }
    let header = rendered.prefix { $0 != "\n" }
    let prefix = "\(span.file.name):"
    guard header.hasPrefix(prefix) else { return ["\(label) renders without its location: \(header.debugDescription)"] }
    let fields = header.dropFirst(prefix.count).split(separator: ":", maxSplits: 2)
    guard fields.count == 3, let line = Int(fields[0]), let column = Int(fields[1]),
      fields[2].hasPrefix(" error: ")
    else { return ["\(label) renders a malformed header: \(header.debugDescription)"] }
    // The rendered line must be the one holding the span's start, and the column within it (a
    // column counts characters, so it is at most the byte distance from the line's start plus one).
    // `offset(ofLine:)` clamps, so a line past the end would share its start with the line before.
    let lineStart = span.file.offset(ofLine: line)
    let nextLineStart = span.file.offset(ofLine: line + 1)
    let exists = line == 1 || (line > 1 && span.file.offset(ofLine: line - 1) < lineStart)
    guard exists, lineStart <= span.offset, nextLineStart == lineStart || nextLineStart > span.offset else {
      return ["\(label) renders line \(line), which does not hold offset \(span.offset)"]
    }
    guard column >= 1, column - 1 <= span.offset - lineStart else {
      return ["\(label) renders column \(column) for offset \(span.offset) on line \(line)"]
    }
    return []
  }
}
