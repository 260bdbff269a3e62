/// One token of jq text as mpg's lexer sees it: enough to find where an expression ends, which
/// variables it reads, and whether it is simple enough to evaluate natively. jq itself checks the rest.
struct Token {
  enum Kind: Equatable {
    /// A name such as `map`, `length`, `if` or `mod::name`.
    case identifier
    /// `$name`.
    case variable
    /// `.name` (a field access written as one token).
    case field
    /// A number literal.
    case number
    /// A string literal; its interpolations are lexed into `interpolations`.
    case string
    /// `@base64` and other formats.
    case format
    /// Punctuation and operators: `.`, `..`, `|`, `==`, `(`, …
    case symbol
    /// A line break (significant to mpg at bracket depth 0).
    case newline
    /// End of input.
    case end
  }

  var kind: Kind
  /// Byte offset in the source.
  var offset: Int
  /// Length in bytes.
  var length: Int
  /// The token's text (for strings: the whole literal including quotes).
  var text: String
  /// For strings, each `\( … )` in order.
  var interpolations: [Interpolation] = []

  /// One `\( … )` inside a string literal.
  struct Interpolation {
    /// The tokens between the parentheses.
    var tokens: [Token]
    /// Byte range from the backslash through the closing parenthesis.
    var range: Range<Int>
  }

  var end: Int { offset + length }

  func isSymbol(_ symbol: String) -> Bool {
    kind == .symbol && text == symbol
  }

  func isKeyword(_ word: String) -> Bool {
    kind == .identifier && text == word
  }

  /// jq's reserved words. A statement that would bind one of these as a variable name is rejected.
  static let jqKeywords: Set<String> = [
    "as", "def", "if", "then", "elif", "else", "end", "reduce", "foreach", "try", "catch",
    "label", "import", "include", "and", "or", "__loc__",
  ]

  /// Whether an expression can end with this token, so that a following `{` opens an mpg block
  /// rather than a jq object.
  var canEndExpression: Bool {
    switch kind {
    case .variable, .field, .number, .string, .format: return true
    case .identifier: return text == "end" || !Token.jqKeywords.contains(text)
    case .symbol: return [")", "]", "}", "?", ".", ".."].contains(text)
    case .newline, .end: return false
    }
  }
}
