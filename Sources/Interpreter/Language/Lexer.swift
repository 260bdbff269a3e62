import Outcomes

/// Reads mpg source a token or an argument word at a time. The parser chooses the mode: jq tokens
/// for expressions, shell-like words for command arguments.
struct Lexer {
  let file: SourceFile
  private let bytes: [UInt8]
  /// Byte offset of the next unread byte.
  var position: Int
  /// How many `\(` interpolations enclose the string being lexed.
  private var interpolationDepth = 0
  /// Strings inside interpolations are lexed recursively; past this depth the lexer reports an error
  /// rather than exhausting the stack on hostile input.
  static let maximumInterpolationDepth = 100

  init(file: SourceFile) {
    self.file = file
    self.bytes = file.bytes
    self.position = 0
  }

  var isAtEnd: Bool { position >= bytes.count }

  func byte(at offset: Int) -> UInt8? {
    offset < bytes.count ? bytes[offset] : nil
  }

  var current: UInt8? { byte(at: position) }

  /// A span clamped to the file: callers widen empty tokens to one byte for the caret, which at
  /// end of input would point past the last byte.
  func span(_ offset: Int, _ length: Int) -> SourceSpan {
    SourceSpan(file: file, offset: offset, length: max(0, min(length, bytes.count - offset)))
  }

  func text(_ range: Range<Int>) -> String {
    file.text(range)
  }

  /// Skips blanks, comments and backslash-newline continuations; also newlines when asked.
  mutating func skipBlanks(includingNewlines: Bool = false) {
    while let byte = current {
      switch byte {
      case 0x20, 0x09, 0x0D:
        position += 1
      case 0x0A where includingNewlines:
        position += 1
      case 0x23:  // '#': comment to end of line
        while let next = current, next != 0x0A { position += 1 }
      case 0x5C where self.byte(at: position + 1) == 0x0A:  // '\' newline
        position += 2
      default:
        return
      }
    }
  }

  // MARK: jq tokens

  /// The next jq token after blanks and comments. Newlines come back as tokens.
  mutating func nextToken() throws(Diagnostic) -> Token {
    skipBlanks()
    let start = position
    guard let byte = current else {
      return Token(kind: .end, offset: start, length: 0, text: "")
    }
    if byte == 0x0A {
      position += 1
      return Token(kind: .newline, offset: start, length: 1, text: "\n")
    }
    if byte == 0x22 { return try lexString() }
    if byte.isIdentifierStart {
      lexIdentifier()
      return make(.identifier, from: start)
    }
    if byte == 0x24, let next = self.byte(at: position + 1), next.isIdentifierStart {  // $name
      position += 1
      lexIdentifier()
      return make(.variable, from: start)
    }
    if byte == 0x40, let next = self.byte(at: position + 1), next.isIdentifierPart {  // @format
      position += 1
      while let next = current, next.isIdentifierPart { position += 1 }
      return make(.format, from: start)
    }
    if byte.isDigit || (byte == 0x2E && self.byte(at: position + 1)?.isDigit == true) {
      lexNumber()
      return make(.number, from: start)
    }
    if byte == 0x2E, let next = self.byte(at: position + 1), next.isIdentifierStart {  // .field
      position += 1
      while let next = current, next.isIdentifierPart { position += 1 }
      return make(.field, from: start)
    }
    for symbol in Lexer.symbols where symbol[0] == byte && matches(symbol) {
      position += symbol.count
      return make(.symbol, from: start)
    }
    // Anything else is passed through for jq to reject with its own message.
    position += Lexer.scalarLength(startingWith: byte)
    return make(.symbol, from: start)
  }

  /// Multi-byte symbols first so the longest match wins; as bytes, because comparing through
  /// `String.utf8` made symbol matching the lexer's main cost.
  private static let symbols: [[UInt8]] = [
    "?//", "//=", "!=", "==", "//", "|=", "+=", "-=", "*=", "/=", "%=", "<=", ">=", "..",
    ".", "[", "]", "{", "}", "(", ")", "|", ",", ":", ";", "=", "<", ">", "+", "-", "*", "/", "%", "?", "$",
  ].map { Array($0.utf8) }

  private func matches(_ symbol: [UInt8]) -> Bool {
    var offset = position
    for expected in symbol {
      guard byte(at: offset) == expected else { return false }
      offset += 1
    }
    return true
  }

  private func make(_ kind: Token.Kind, from start: Int) -> Token {
    Token(kind: kind, offset: start, length: position - start, text: text(start..<position))
  }

  private mutating func lexIdentifier() {
    while true {
      while let next = current, next.isIdentifierPart { position += 1 }
      // jq module paths: name::name
      if current == 0x3A, byte(at: position + 1) == 0x3A, byte(at: position + 2)?.isIdentifierStart == true {
        position += 2
        continue
      }
      return
    }
  }

  /// jq's number syntax: `([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?`.
  private mutating func lexNumber() {
    while let next = current, next.isDigit { position += 1 }
    if current == 0x2E, byte(at: position + 1) != 0x2E {
      position += 1
      while let next = current, next.isDigit { position += 1 }
    }
    if current == 0x65 || current == 0x45 {
      var offset = position + 1
      if byte(at: offset) == 0x2B || byte(at: offset) == 0x2D { offset += 1 }
      if byte(at: offset)?.isDigit == true {
        position = offset
        while let next = current, next.isDigit { position += 1 }
      }
    }
  }

  /// A string literal with nested `\( … )` interpolations, lexed recursively.
  private mutating func lexString() throws(Diagnostic) -> Token {
    let start = position
    position += 1
    var interpolations: [Token.Interpolation] = []
    while true {
      guard let byte = current else {
        throw Diagnostic("unterminated string", at: span(start, 1))
      }
      if byte == 0x22 {
        position += 1
        break
      }
      if byte == 0x5C {
        if self.byte(at: position + 1) == 0x28 {  // \(
          let open = position
          guard interpolationDepth < Lexer.maximumInterpolationDepth else {
            throw Diagnostic(
              "strings are nested more than \(Lexer.maximumInterpolationDepth) levels deep in `\\(…)`", at: span(open, 2))
          }
          position += 2
          interpolationDepth += 1
          defer { interpolationDepth -= 1 }
          let tokens = try lexInterpolation(openedAt: open)
          interpolations.append(Token.Interpolation(tokens: tokens, range: open..<position))
          continue
        }
        position += 2
        continue
      }
      position += 1
    }
    var token = make(.string, from: start)
    token.interpolations = interpolations
    return token
  }

  private mutating func lexInterpolation(openedAt open: Int) throws(Diagnostic) -> [Token] {
    var tokens: [Token] = []
    var depth = 0
    while true {
      let token = try nextToken()
      switch token.kind {
      case .end:
        throw Diagnostic("expected `)` to close the interpolation `\\(` in this string", at: span(open, 2))
      case .newline:
        continue
      case .symbol where ["(", "[", "{"].contains(token.text):
        depth += 1
      case .symbol where [")", "]", "}"].contains(token.text):
        if depth == 0 {
          if token.text == ")" { return tokens }
          throw Diagnostic("unexpected `\(token.text)` inside the interpolation `\\(`", at: span(token.offset, token.length))
        }
        depth -= 1
      default:
        break
      }
      tokens.append(token)
    }
  }

  static func scalarLength(startingWith byte: UInt8) -> Int {
    switch byte {
    case 0xF0...: 4
    case 0xE0...: 3
    case 0xC0...: 2
    default: 1
    }
  }
}

extension UInt8 {
  var isDigit: Bool { self >= 0x30 && self <= 0x39 }
  var isLetter: Bool { (self >= 0x41 && self <= 0x5A) || (self >= 0x61 && self <= 0x7A) }
  var isIdentifierStart: Bool { isLetter || self == 0x5F }
  var isIdentifierPart: Bool { isIdentifierStart || isDigit }
  var isBlank: Bool { self == 0x20 || self == 0x09 || self == 0x0D || self == 0x0A }
}
