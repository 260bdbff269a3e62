import Outcomes

/// What a jq expression does with variables, found from its tokens: which `$names` it reads from
/// outside and which it binds itself (`as $x`, `as [$a, $b]`, `def f($p):`, `label $out`).
struct ExpressionAnalysis {
  /// Names read, in order of first appearance, with the first place each is read.
  var references: [(name: String, span: SourceSpan)] = []
  /// Names bound inside the expression.
  var locallyBound: Set<String> = []

  /// Variables jq itself provides.
  static let jqVariables: Set<String> = ["ENV", "__loc__"]

  init(tokens: [Token], file: SourceFile) {
    walk(tokens, file: file)
  }

  private mutating func walk(_ tokens: [Token], file: SourceFile) {
    let tokens = ExpressionAnalysis.joiningSpacedVariables(tokens)
    var index = 0
    while index < tokens.count {
      let token = tokens[index]
      switch token.kind {
      case .identifier where token.text == "as":
        index = bindPattern(tokens, from: index + 1)
        continue
      case .identifier where token.text == "def":
        index = bindParameters(tokens, from: index + 1)
        continue
      case .identifier where token.text == "label" || token.text == "break":
        if index + 1 < tokens.count, tokens[index + 1].kind == .variable {
          locallyBound.insert(String(tokens[index + 1].text.dropFirst()))
          index += 2
          continue
        }
      case .variable:
        let name = String(token.text.dropFirst())
        if !ExpressionAnalysis.jqVariables.contains(name), !references.contains(where: { $0.name == name }) {
          references.append((name, SourceSpan(file: file, offset: token.offset, length: token.length)))
        }
      case .string:
        for interpolation in token.interpolations {
          walk(interpolation.tokens, file: file)
        }
      default:
        break
      }
      index += 1
    }
  }

  /// jq 1.6 reads `$ name` (blanks between) as `$name`; mpg's lexer makes two tokens of it, which
  /// are joined here so the variable is still seen (and passed to jq).
  private static func joiningSpacedVariables(_ tokens: [Token]) -> [Token] {
    guard tokens.contains(where: { $0.isSymbol("$") }) else { return tokens }
    var joined: [Token] = []
    var index = 0
    while index < tokens.count {
      let token = tokens[index]
      if token.isSymbol("$"), index + 1 < tokens.count, tokens[index + 1].kind == .identifier {
        let name = tokens[index + 1]
        joined.append(Token(kind: .variable, offset: token.offset, length: name.end - token.offset, text: "$" + name.text))
        index += 2
        continue
      }
      joined.append(token)
      index += 1
    }
    return joined
  }

  /// `as PATTERN |` and `reduce/foreach … as PATTERN (`: every variable up to the `|` or `(` at
  /// the pattern's own depth is bound.
  private mutating func bindPattern(_ tokens: [Token], from start: Int) -> Int {
    var index = start
    var depth = 0
    while index < tokens.count {
      let token = tokens[index]
      if token.kind == .symbol {
        if depth == 0, token.text == "|" || token.text == "(" { return index }
        if ["[", "{", "("].contains(token.text) { depth += 1 }
        if ["]", "}", ")"].contains(token.text) {
          depth -= 1
          if depth < 0 { return index }
        }
      }
      if token.kind == .variable { locallyBound.insert(String(token.text.dropFirst())) }
      index += 1
    }
    return index
  }

  /// `def name($a; f; $b):`: the `$` parameters are bound.
  private mutating func bindParameters(_ tokens: [Token], from start: Int) -> Int {
    var index = start + 1  // skip the function's name
    guard index < tokens.count, tokens[index].isSymbol("(") else { return index }
    while index < tokens.count, !tokens[index].isSymbol(")") {
      if tokens[index].kind == .variable { locallyBound.insert(String(tokens[index].text.dropFirst())) }
      index += 1
    }
    return index
  }
}
