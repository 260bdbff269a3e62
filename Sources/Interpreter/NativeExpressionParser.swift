import JQ

/// Builds a `NativeExpression` from jq tokens when the whole expression is in the native subset;
/// otherwise `nil`, and the expression goes to jq. It must never accept text that jq would reject
/// or read differently, so it follows jq 1.6's grammar and precedence for the forms it knows:
///
///     alternative := or ("//" alternative)?           right-associative
///     or          := and ("or" and)*
///     and         := comparison ("and" comparison)*
///     comparison  := additive (("=="|"!="|"<"|"<="|">"|">=") additive)?   non-associative
///     additive    := product (("+"|"-") product)*
///     product     := operand (("*"|"/") operand)*
///     operand     := "-" product | postfix            jq's '-' Exp shifts higher operators
///     postfix     := term (FIELD | "." STRING | "[" alternative "]")*
struct NativeExpressionParser {
  private let tokens: [Token]
  private let file: SourceFile
  private var index = 0

  /// Parses `tokens` (newlines are ignored as jq ignores them).
  static func parse(_ tokens: [Token], file: SourceFile) -> NativeExpression? {
    var parser = NativeExpressionParser(tokens: tokens.filter { $0.kind != .newline }, file: file)
    guard !parser.tokens.isEmpty, let expression = parser.alternative(), parser.index == parser.tokens.count else {
      return nil
    }
    return expression
  }

  private init(tokens: [Token], file: SourceFile) {
    self.tokens = tokens
    self.file = file
  }

  private var peek: Token? { index < tokens.count ? tokens[index] : nil }

  private mutating func take(symbol: String) -> Bool {
    guard let token = peek, token.isSymbol(symbol) else { return false }
    index += 1
    return true
  }

  private mutating func take(keyword: String) -> Bool {
    guard let token = peek, token.isKeyword(keyword) else { return false }
    index += 1
    return true
  }

  private mutating func alternative() -> NativeExpression? {
    guard let left = or() else { return nil }
    if take(symbol: "//") {
      guard let right = alternative() else { return nil }
      return .binary(.alternative, left, right)
    }
    return left
  }

  private mutating func or() -> NativeExpression? {
    guard var left = and() else { return nil }
    while take(keyword: "or") {
      guard let right = and() else { return nil }
      left = .binary(.or, left, right)
    }
    return left
  }

  private mutating func and() -> NativeExpression? {
    guard var left = comparison() else { return nil }
    while take(keyword: "and") {
      guard let right = comparison() else { return nil }
      left = .binary(.and, left, right)
    }
    return left
  }

  private static let comparisons: [String: NativeExpression.BinaryOperator] = [
    "==": .equal, "!=": .notEqual, "<": .less, "<=": .lessOrEqual, ">": .greater, ">=": .greaterOrEqual,
  ]

  private mutating func comparison() -> NativeExpression? {
    guard let left = additive() else { return nil }
    if let token = peek, token.kind == .symbol, let op = Self.comparisons[token.text] {
      index += 1
      guard let right = additive() else { return nil }
      // jq's comparisons are non-associative: `a < b < c` is a syntax error there.
      if let next = peek, next.kind == .symbol, Self.comparisons[next.text] != nil { return nil }
      return .binary(op, left, right)
    }
    return left
  }

  private mutating func additive() -> NativeExpression? {
    guard var left = product() else { return nil }
    while let token = peek, token.isSymbol("+") || token.isSymbol("-") {
      index += 1
      guard let right = product() else { return nil }
      left = .binary(token.text == "+" ? .plus : .minus, left, right)
    }
    return left
  }

  private mutating func product() -> NativeExpression? {
    guard var left = operand() else { return nil }
    while let token = peek, token.isSymbol("*") || token.isSymbol("/") {
      index += 1
      guard let right = operand() else { return nil }
      // jq folds `NUMBER / 0` at compile time into a compile error: leave that to jq.
      if token.text == "/", case .literal(let divisor) = right, divisor.numberValue == 0 { return nil }
      left = .binary(token.text == "*" ? .times : .divide, left, right)
    }
    return left
  }

  private mutating func operand() -> NativeExpression? {
    if take(symbol: "-") {
      return product().map { .negate($0) }
    }
    return postfix()
  }

  private mutating func postfix() -> NativeExpression? {
    guard var base = term() else { return nil }
    while let token = peek {
      if token.kind == .field {
        index += 1
        base = .index(base, .literal(JSONValue(String(token.text.dropFirst()))))
      } else if token.isSymbol("."), index + 1 < tokens.count, tokens[index + 1].kind == .string {
        index += 1
        guard let key = plainString(tokens[index]) else { return nil }
        index += 1
        base = .index(base, .literal(key))
      } else if token.isSymbol("[") {
        index += 1
        guard let key = alternative(), take(symbol: "]") else { return nil }
        base = .index(base, key)
      } else {
        break
      }
    }
    return base
  }

  private mutating func term() -> NativeExpression? {
    guard let token = peek else { return nil }
    switch token.kind {
    case .number:
      index += 1
      guard let value = try? JSONValue(parsing: token.text) else { return nil }
      return .literal(value)
    case .string:
      index += 1
      return string(token)
    case .variable:
      index += 1
      let name = String(token.text.dropFirst())
      return ExpressionAnalysis.jqVariables.contains(name) ? nil : .variable(name)
    case .field:
      index += 1
      return .index(.identity, .literal(JSONValue(String(token.text.dropFirst()))))
    case .identifier:
      index += 1
      switch token.text {
      case "true": return .literal(JSONValue(true))
      case "false": return .literal(JSONValue(false))
      case "null": return .literal(.null)
      default: return nil
      }
    case .symbol:
      switch token.text {
      case ".":
        index += 1
        // `."key"` and `.[e]` are handled as postfix on the identity.
        if let next = peek, next.kind == .string {
          guard let key = plainString(next) else { return nil }
          index += 1
          return .index(.identity, .literal(key))
        }
        return .identity
      case "(":
        index += 1
        guard let inner = alternative(), take(symbol: ")") else { return nil }
        return inner
      case "[":
        index += 1
        return array()
      case "{":
        index += 1
        return object()
      default:
        return nil
      }
    default:
      return nil
    }
  }

  private mutating func array() -> NativeExpression? {
    var elements: [NativeExpression] = []
    if take(symbol: "]") { return .array([]) }
    repeat {
      guard let element = alternative() else { return nil }
      elements.append(element)
    } while take(symbol: ",")
    return take(symbol: "]") ? .array(elements) : nil
  }

  private mutating func object() -> NativeExpression? {
    var members: [(key: NativeExpression, value: NativeExpression)] = []
    if take(symbol: "}") { return .object([]) }
    repeat {
      guard let token = peek else { return nil }
      index += 1
      switch token.kind {
      case .variable:  // {$name}
        let name = String(token.text.dropFirst())
        guard !ExpressionAnalysis.jqVariables.contains(name) else { return nil }
        members.append((.literal(JSONValue(name)), .variable(name)))
        continue
      case .identifier:
        let key = NativeExpression.literal(JSONValue(token.text))
        if take(symbol: ":") {
          guard let value = postfix() else { return nil }
          members.append((key, value))
        } else {  // {name} means {name: .name}
          guard !Token.jqKeywords.contains(token.text) else { return nil }
          members.append((key, .index(.identity, key)))
        }
      case .string:
        guard let key = plainString(token), take(symbol: ":"), let value = postfix() else { return nil }
        members.append((.literal(key), value))
      default:
        return nil
      }
    } while take(symbol: ",")
    return take(symbol: "}") ? .object(members) : nil
  }

  /// A string token without interpolation, decoded as jq decodes it.
  private func plainString(_ token: Token) -> JSONValue? {
    guard token.interpolations.isEmpty else { return nil }
    return literalSegment(token.offset + 1, token.end - 1)
  }

  private func string(_ token: Token) -> NativeExpression? {
    if token.interpolations.isEmpty {
      return plainString(token).map { .literal($0) }
    }
    var parts: [NativeExpression] = []
    var cursor = token.offset + 1
    for interpolation in token.interpolations {
      guard let literal = literalSegment(cursor, interpolation.range.lowerBound) else { return nil }
      parts.append(.literal(literal))
      guard let inner = NativeExpressionParser.parse(interpolation.tokens, file: file) else { return nil }
      parts.append(inner)
      cursor = interpolation.range.upperBound
    }
    guard let tail = literalSegment(cursor, token.end - 1) else { return nil }
    parts.append(.literal(tail))
    return .interpolation(parts)
  }

  /// Decodes the literal text between two offsets with jq's JSON parser. `\u` escapes are left to jq,
  /// whose lexer decodes each escape on its own (surrogate pairs differ from a JSON parse).
  private func literalSegment(_ start: Int, _ end: Int) -> JSONValue? {
    let bytes = file.bytes[start..<end]
    var previous: UInt8 = 0
    for byte in bytes {
      if byte < 0x20 || (previous == 0x5C && byte == 0x75) { return nil }
      previous = previous == 0x5C ? 0 : byte
    }
    return try? JSONValue(parsing: [0x22] + bytes + [0x22])
  }
}
