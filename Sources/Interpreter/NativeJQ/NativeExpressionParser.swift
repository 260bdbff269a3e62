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
  /// Levels of the tree being built above the current token: brackets, operators, postfix steps and
  /// interpolations each add one.
  private var depth = 0
  /// Past this depth the parser gives up and leaves the expression to jq, whose table-driven parser
  /// reports excessive nesting as an error. Parsing, evaluating and freeing a `NativeExpression`
  /// all recurse over the tree, so 20,000 `(` or `1 + 1 + …` would otherwise exhaust the stack.
  private static let maximumDepth = 200

  /// Parses `tokens` (newlines are ignored as jq ignores them). `depth` is the nesting already
  /// spent by enclosing strings whose interpolations these tokens are.
  static func parse(_ tokens: [Token], file: SourceFile, depth: Int = 0) -> NativeExpression? {
    var parser = NativeExpressionParser(tokens: tokens.filter { $0.kind != .newline }, file: file)
    parser.depth = depth
    guard !parser.tokens.isEmpty, let expression = parser.alternative(), parser.index == parser.tokens.count else {
      return nil
    }
    return expression
  }

  /// Parses `range(…)` with one to three native bounds, in any number of parentheses; otherwise
  /// `nil`. A program's own `def range` would not parse natively, so the builtin is meant.
  static func parseRange(_ tokens: [Token], file: SourceFile) -> NativeRange? {
    // Every expression of a script passes here while it loads: look no further when no `range` is in it.
    guard tokens.contains(where: { $0.kind == .identifier && $0.text == "range" }) else { return nil }
    var parser = NativeExpressionParser(tokens: tokens.filter { $0.kind != .newline }, file: file)
    var parentheses = 0
    while parser.take(symbol: "(") { parentheses += 1 }
    guard let name = parser.peek, name.kind == .identifier, name.text == "range" else { return nil }
    parser.index += 1
    guard parser.take(symbol: "(") else { return nil }
    var bounds: [NativeExpression] = []
    repeat {
      guard let bound = parser.alternative() else { return nil }
      bounds.append(bound)
    } while bounds.count < 3 && parser.take(symbol: ";")
    guard parser.take(symbol: ")") else { return nil }
    for _ in 0..<parentheses {
      guard parser.take(symbol: ")") else { return nil }
    }
    guard parser.index == parser.tokens.count else { return nil }
    return NativeRange(bounds: bounds)
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

  /// Enters one more level of the tree; false past `maximumDepth`, and the caller gives up.
  private mutating func descend() -> Bool {
    depth += 1
    return depth <= Self.maximumDepth
  }

  private mutating func alternative() -> NativeExpression? {
    let level = depth
    defer { depth = level }
    guard descend(), let left = or() else { return nil }
    if take(symbol: "//") {
      guard let right = alternative() else { return nil }
      return .binary(.alternative, left, right)
    }
    return left
  }

  private mutating func or() -> NativeExpression? {
    let level = depth
    defer { depth = level }
    guard var left = and() else { return nil }
    while take(keyword: "or") {
      guard descend(), let right = and() else { return nil }
      left = .binary(.or, left, right)
    }
    return left
  }

  private mutating func and() -> NativeExpression? {
    let level = depth
    defer { depth = level }
    guard var left = comparison() else { return nil }
    while take(keyword: "and") {
      guard descend(), let right = comparison() else { return nil }
      left = .binary(.and, left, right)
    }
    return left
  }

  private static let comparisons: [String: NativeExpression.BinaryOperator] = [
    "==": .equal, "!=": .notEqual, "<": .less, "<=": .lessOrEqual, ">": .greater, ">=": .greaterOrEqual,
  ]

  private mutating func comparison() -> NativeExpression? {
    let level = depth
    defer { depth = level }
    guard let left = additive() else { return nil }
    if let token = peek, token.kind == .symbol, let op = Self.comparisons[token.text] {
      index += 1
      guard descend(), let right = additive() else { return nil }
      // jq's comparisons are non-associative: `a < b < c` is a syntax error there.
      if let next = peek, next.kind == .symbol, Self.comparisons[next.text] != nil { return nil }
      // jq 1.6 folds a comparison of two constants with C's operators, not `jv_cmp`: they disagree on
      // nan (`(1e1000 - 1e1000) < 1` is false there, `jv_cmp` says less).
      if left.isConstant, right.isConstant { return nil }
      return .binary(op, left, right)
    }
    return left
  }

  private mutating func additive() -> NativeExpression? {
    let level = depth
    defer { depth = level }
    guard var left = product() else { return nil }
    while let token = peek, token.isSymbol("+") || token.isSymbol("-") {
      index += 1
      guard descend(), let right = product() else { return nil }
      left = .binary(token.text == "+" ? .plus : .minus, left, right)
    }
    return left
  }

  private mutating func product() -> NativeExpression? {
    let level = depth
    defer { depth = level }
    guard var left = operand() else { return nil }
    while let token = peek, token.isSymbol("*") || token.isSymbol("/") {
      index += 1
      guard descend(), let right = operand() else { return nil }
      // jq 1.6 folds a division of two constants at compile time, and an infinite quotient is then
      // the compile error "Division by zero?" (`1 / 0`, `1e300 / 1e-300`, `1e1000 / 2`).
      if token.text == "/", left.isConstant, right.isConstant { return nil }
      left = .binary(token.text == "*" ? .times : .divide, left, right)
    }
    return left
  }

  private mutating func operand() -> NativeExpression? {
    if take(symbol: "-") {
      let level = depth
      defer { depth = level }
      guard descend() else { return nil }
      return product().map { .negate($0) }
    }
    return postfix()
  }

  private mutating func postfix() -> NativeExpression? {
    let level = depth
    defer { depth = level }
    guard var base = term() else { return nil }
    while let token = peek {
      guard token.kind == .field || token.isSymbol(".") || token.isSymbol("[") else { break }
      guard descend() else { return nil }
      if token.kind == .field {
        index += 1
        guard let name = Self.fieldName(token) else { return nil }
        base = .index(base, .literal(JSONValue(name)))
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
      return Self.variableName(token).map { .variable($0) }
    case .field:
      index += 1
      return Self.fieldName(token).map { .index(.identity, .literal(JSONValue($0))) }
    case .identifier:
      index += 1
      switch token.text {
      case "true": return .literal(JSONValue(true))
      case "false": return .literal(JSONValue(false))
      case "null": return .literal(.null)
      case "map":
        // The builtin: a program's own `def map` would not parse natively, so it cannot be meant.
        guard take(symbol: "("), let transform = alternative(), take(symbol: ")") else { return nil }
        return .map(transform)
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
    // Member values are parsed as postfix terms, not alternatives, so objects need their own guard.
    let level = depth
    defer { depth = level }
    guard descend() else { return nil }
    var members: [(key: NativeExpression, value: NativeExpression)] = []
    if take(symbol: "}") { return .object([]) }
    repeat {
      guard let token = peek else { return nil }
      index += 1
      switch token.kind {
      case .variable:  // {$name}
        guard let name = Self.variableName(token) else { return nil }
        members.append((.literal(JSONValue(name)), .variable(name)))
        continue
      case .identifier:
        let key = NativeExpression.literal(JSONValue(token.text))
        if take(symbol: ":") {
          guard let value = postfix() else { return nil }
          members.append((key, value))
        } else {  // {name} means {name: .name}
          guard !Self.reservedWords.contains(token.text) else { return nil }
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

  /// jq 1.6's reserved words. Its lexer never reads them as names, so `$and`, `{$and}` and `{and}`
  /// are syntax errors there (`{and: 1}` is allowed, and handled above).
  private static let reservedWords = Token.jqKeywords.union(["module", "break"])

  /// The name of a `$name` token that mpg evaluates itself: not one of jq's own variables (`$ENV`,
  /// `$__loc__`) and not a reserved word.
  private static func variableName(_ token: Token) -> String? {
    let name = String(token.text.dropFirst())
    guard !ExpressionAnalysis.jqVariables.contains(name), !reservedWords.contains(name) else { return nil }
    return name
  }

  /// The name of a `.name` token, or `nil` where jq 1.6 lexes the token as a number: its number
  /// pattern also matches `.e1`, `.E12` and `.e+1`, and wins ties with field names, so those are
  /// "Invalid numeric literal" errors there. `.e` and `.E` themselves are left to jq too.
  private static func fieldName(_ token: Token) -> String? {
    let name = token.text.utf8.dropFirst()
    if let first = name.first, first == UInt8(ascii: "e") || first == UInt8(ascii: "E"),
      name.dropFirst().allSatisfy({ $0.isDigit })
    {
      return nil
    }
    return String(token.text.dropFirst())
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
      guard let inner = NativeExpressionParser.parse(interpolation.tokens, file: file, depth: depth + 1) else { return nil }
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
