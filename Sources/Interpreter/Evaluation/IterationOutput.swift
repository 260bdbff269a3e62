import JQ

/// The output of one iteration of a `parallel for`: whole lines only, each starting `[label] `, so
/// iterations that run at once never mix inside a line and a reader can tell whose line it is.
final class IterationOutput: OutputSink {
  private let base: any OutputSink
  /// `[label] `, or nothing (`--no-label`).
  private let prefix: String
  /// Text of a line not finished yet, per stream.
  private var pendingOutput = ""
  private var pendingError = ""

  /// Lines for `base`, each labelled `[label] ` unless `label` is `nil`.
  init(base: any OutputSink, label: String?) {
    self.base = base
    prefix = label.map { "[\($0)] " } ?? ""
  }

  func write(_ text: String) {
    pendingOutput += text
    if let lines = Self.completeLines(&pendingOutput) { base.write(prefixed(lines)) }
  }

  func writeError(_ text: String) {
    // A carriage return redraws a line in place, which lines from other iterations would break:
    // only what ends a line is printed.
    pendingError += text
    if let lines = Self.completeLines(&pendingError) { base.writeError(prefixed(lines)) }
  }

  func write(_ value: JSONValue, options: PrintOptions) {
    guard !prefix.isEmpty else { return base.write(value, options: options) }
    base.write(prefixed(base.rendered(value, options: options, format: nil)))
  }

  func write(_ value: JSONValue, options: PrintOptions, format: OutputFormat) {
    guard !prefix.isEmpty else { return base.write(value, options: options, format: format) }
    base.write(prefixed(base.rendered(value, options: options, format: format)))
  }

  func rendered(_ value: JSONValue, options: PrintOptions, format: OutputFormat?) -> String {
    prefixed(base.rendered(value, options: options, format: format))
  }

  func flush() { base.flush() }

  /// Prints what is left of an unfinished line, ended (the iteration is over).
  func finish() {
    if !pendingOutput.isEmpty { base.write(prefixed(pendingOutput + "\n")) }
    if !pendingError.isEmpty { base.writeError(prefixed(pendingError + "\n")) }
    pendingOutput = ""
    pendingError = ""
  }

  /// Takes the complete lines off the front of `pending`; `nil` when there is none yet.
  private static func completeLines(_ pending: inout String) -> String? {
    guard let end = pending.lastIndex(of: "\n") else { return nil }
    let lines = String(pending[...end])
    pending = String(pending[pending.index(after: end)...])
    // A line redrawn in place (`\r…`) keeps only its last drawing.
    return lines.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { line in
      line.split(separator: "\r").last.map(String.init) ?? ""
    }.joined(separator: "\n") + "\n"
  }

  /// Each line of `lines` (ended by a newline, added when missing) after the prefix.
  private func prefixed(_ lines: String) -> String {
    let ended = lines.hasSuffix("\n") ? lines : lines + "\n"
    guard !prefix.isEmpty else { return ended }
    var text = ""
    for line in ended.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
      text += prefix + line + "\n"
    }
    return text
  }
}
