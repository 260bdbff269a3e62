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
      problems += problems(message: diagnostic.message, span: diagnostic.span, of: file, severity: "error")
      for note in diagnostic.notes where note.span != nil {
        problems += problems(message: note.message, span: note.span, of: note.span!.file, severity: "note")
      }
      let rendered = renderer.render(diagnostic)
      if !rendered.hasSuffix("\n") { problems.append("rendering does not end in a newline: \(rendered.debugDescription)") }
    }
    return problems
  }

  private static func problems(message: String, span: SourceSpan?, of file: SourceFile, severity: String) -> [String] {
    let label = "\(severity) `\(message)`"
    if message.allSatisfy(\.isWhitespace) { return ["\(severity) with an empty message"] }
    guard let span else { return ["\(label) has no location"] }
    guard span.file === file || severity == "note" else { return ["\(label) points into another file, \(span.file.name)"] }
    let size = span.file.bytes.count
    guard span.offset >= 0, span.length >= 0, span.offset + span.length <= size else {
      return ["\(label) has span \(span.offset)+\(span.length) outside a file of \(size) bytes"]
    }
    // Render just this part to check the header without the renderer's handling of notes.
    let rendered = renderer.render(Diagnostic(message, at: span))
    let header = rendered.prefix { $0 != "\n" }
    let prefix = "\(span.file.name):"
    guard header.hasPrefix(prefix) else { return ["\(label) renders without its location: \(header.debugDescription)"] }
    let fields = header.dropFirst(prefix.count).split(separator: ":", maxSplits: 2)
    guard fields.count == 3, let line = Int(fields[0]), let column = Int(fields[1]),
      fields[2].hasPrefix(" error: ")
    else { return ["\(label) renders a malformed header: \(header.debugDescription)"] }
    let lineCount = span.file.bytes.count { $0 == 0x0A } + 1
    guard (1...lineCount).contains(line) else { return ["\(label) renders line \(line) of \(lineCount)"] }
    let start = span.file.offset(ofLine: line)
    let end = span.file.bytes[start...].firstIndex(of: 0x0A) ?? size
    let width = span.file.text(start..<end).count
    guard (1...width + 1).contains(column) else {
      return ["\(label) renders column \(column) on line \(line) of \(width) characters"]
    }
    return []
  }
}
