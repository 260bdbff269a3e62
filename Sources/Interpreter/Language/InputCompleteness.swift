/// Decides whether interactive input is a complete entry or needs more lines: an open bracket or
/// block, an unterminated string, or a trailing `|` or `\` asks for a continuation line.
public enum InputCompleteness {
  /// Whether `text` can be run as it is.
  public static func isComplete(_ text: String) -> Bool {
    var lexer = Lexer(file: SourceFile(name: "<input>", text: text))
    var depth = 0
    var last: Token?
    while true {
      guard let token = try? lexer.nextToken() else {
        // An unterminated string or interpolation: wait for more unless the input ended on a blank line.
        return text.hasSuffix("\n\n")
      }
      switch token.kind {
      case .end:
        if depth > 0 { return false }
        if let last, last.isSymbol("|") { return false }
        return !text.hasSuffix("\\") && !text.hasSuffix("\\\n")
      case .newline:
        continue
      case .symbol where ["(", "[", "{"].contains(token.text):
        depth += 1
      case .symbol where [")", "]", "}"].contains(token.text):
        depth -= 1
        if depth < 0 { return true }  // let the parser report the stray closer
      default:
        break
      }
      last = token
    }
  }
}
