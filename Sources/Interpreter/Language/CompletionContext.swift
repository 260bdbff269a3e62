/// Where the cursor is in unfinished input, read with the language's own lexer (strings, their
/// interpolations and comments as the parser sees them): for the prompt's Tab completion.
public enum CompletionContext {
  /// The statement the cursor is in: the text after the last `;`, newline, `{` or `}` outside
  /// brackets, without its leading blanks.
  public static func statement(of text: String) -> String {
    let file = SourceFile(name: "<input>", text: text)
    var lexer = Lexer(file: file)
    var depth = 0
    var start = 0
    // An unfinished string ends the scan: the cursor is inside it.
    while let token = try? lexer.nextToken(), token.kind != .end {
      if token.kind == .newline || token.isSymbol(";") || token.isSymbol("{") || token.isSymbol("}") {
        if depth <= 0 { start = token.end }
      } else if token.isSymbol("(") || token.isSymbol("[") {
        depth += 1
      } else if token.isSymbol(")") || token.isSymbol("]") {
        depth -= 1
      }
    }
    return String(file.text(start..<text.utf8.count).drop { $0 == " " || $0 == "\t" })
  }

  /// Whether text typed so far leaves the cursor inside a jq expression: an open `(` or `[`, or
  /// after a `|`.
  public static func isInsideExpression(_ text: String) -> Bool {
    var lexer = Lexer(file: SourceFile(name: "<input>", text: text))
    var depth = 0
    var afterPipe = false
    while let token = try? lexer.nextToken(), token.kind != .end {
      if token.isSymbol("(") || token.isSymbol("[") {
        depth += 1
      } else if token.isSymbol(")") || token.isSymbol("]") {
        depth -= 1
      } else if token.kind == .symbol, token.text.hasPrefix("|") {
        afterPipe = true
      }
    }
    return depth > 0 || afterPipe
  }
}
