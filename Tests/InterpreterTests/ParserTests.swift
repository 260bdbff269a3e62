import Testing
@testable import Interpreter

@Suite("Parser")
struct ParserTests {
  private func parse(_ text: String, commands: Set<String> = ["echo", "load", "save", "sleep"]) -> Parser {
    var parser = Parser(file: SourceFile(name: "test.mpg", text: text), commandNames: commands, builtins: commands)
    parser.parseAll()
    return parser
  }

  /// The diagnostics' messages and the markers they point at.
  private func errors(_ marked: String) -> [(String, Int)] {
    parse(MarkedSource(marked).text).diagnostics.map { ($0.message, $0.span?.offset ?? -1) }
  }

  @Test func commandsAndExpressionsAreTellApartByTheFirstWord() {
    let parser = parse("echo hi\nlength\nload x.json | .a\n[1] | length")
    let kinds = parser.body.statements.map { statement -> String in
      guard case .pipeline(let pipeline) = statement.kind else { return "other" }
      if case .command(let invocation) = pipeline { return "command:\(invocation.name)" }
      return "jq"
    }
    #expect(kinds == ["command:echo", "jq", "command:load", "jq"])
  }

  @Test func blockOpensAtTheFirstBraceAfterACompleteExpression() throws {
    let parser = parse(#"if $x == {a: 1} { echo yes }"#)
    #expect(parser.diagnostics.isEmpty)
    guard case .conditional(let branches, _) = try #require(parser.body.statements.first).kind else {
      Issue.record("expected an if")
      return
    }
    #expect(branches[0].condition.text == "$x == {a: 1}")
  }

  @Test func jqIfThenEndIsAnExpression() {
    let parser = parse("if . then 1 else 2 end")
    #expect(parser.diagnostics.isEmpty)
    guard case .pipeline(.expression(let expression)) = parser.body.statements[0].kind else {
      Issue.record("expected a jq expression")
      return
    }
    #expect(expression.text == "if . then 1 else 2 end")
  }

  @Test func linesContinueInsideBracketsAndAfterAPipe() {
    let parser = parse("let x = [1,\n  2] |\n  map(. + 1)\necho $x")
    #expect(parser.diagnostics.isEmpty)
    #expect(parser.body.statements.count == 2)
  }

  @Test func argumentKinds() throws {
    let parser = parse(#"echo word 42 true "s \(1)" $v.a[0] (1 + 2) {a: 1} [1] key=val n:=3 --flag --opt=x -- --lit"#)
    #expect(parser.diagnostics.isEmpty)
    guard case .pipeline(.command(let invocation)) = try #require(parser.body.statements.first).kind else {
      Issue.record("expected a command")
      return
    }
    let described = invocation.arguments.map { argument -> String in
      switch argument.kind {
      case .positional(.word(let word, let value)): return "word:\(word)=\(value)"
      case .positional(.expression(let expression)): return "expr:\(expression.text)"
      case .field(let key, _, let isJSON): return "field:\(key)\(isJSON ? ":=" : "=")"
      case .option(let name, let value): return "option:\(name)\(value == nil ? "" : "=")"
      }
    }
    #expect(
      described == [
        #"word:word="word""#, "word:42=42", "word:true=true", #"expr:"s \(1)""#, "expr:$v.a[0]", "expr:(1 + 2)",
        "expr:{a: 1}", "expr:[1]", "field:key=", "field:n:=", "option:flag", "option:opt=", #"word:--lit="--lit""#,
      ])
  }

  @Test func reportsEveryErrorAtItsPlace() {
    let marked = """
      let x = 1️⃣(1 +
      let y = 2️⃣
      3️⃣break
      echo 4️⃣)
      """
    let source = MarkedSource(marked)
    let found = errors(marked)
    #expect(found.map(\.1) == [source.offsets["1️⃣"]!, source.offsets["2️⃣"]!, source.offsets["3️⃣"]!, source.offsets["4️⃣"]!])
    #expect(
      found.map(\.0) == [
        "this `(` is never closed; expected `)`", "expected an expression", "`break` outside a loop",
        "unexpected `)` in the arguments",
      ])
  }

  @Test func unclosedBlockPointsAtItsBrace() {
    let marked = "while true 1️⃣{\n  echo hi\n"
    let found = errors(marked)
    #expect(found.map(\.0) == ["this block is never closed; expected `}`"])
    #expect(found.map(\.1) == [MarkedSource(marked).offsets["1️⃣"]!])
  }

  @Test(arguments: ["let if = 1", "let ENV = 1", "let __mpg_x = 1", "fn length x { }", "fn echo { }", "return 1"])
  func rejectsReservedNamesAndMisplacedStatements(_ text: String) {
    #expect(!parse(text).diagnostics.isEmpty, "\(text) should be rejected")
  }

  @Test func assertSplitsATrailingMessage() throws {
    let parser = parse(#"assert $a == "x" "a is x""#)
    guard case .assertion(let condition, let message) = try #require(parser.body.statements.first).kind else {
      Issue.record("expected an assert")
      return
    }
    #expect(condition.text == #"$a == "x""#)
    #expect(message?.text == #""a is x""#)
  }

  @Test func variablesBoundInsideAnExpressionAreNotParameters() throws {
    let parser = parse(#"let y = $x as $z | [$z, $w] | . as [$a] | $a"#)
    let expression = try #require(parser.expressions.first)
    #expect(expression.references.map(\.name) == ["x", "z", "w", "a"])
    #expect(expression.locallyBound == ["z", "a"])
  }
}

@Suite("Native expressions")
struct NativeExpressionTests {
  private func native(_ text: String) -> NativeExpression? {
    var parser = Parser(file: SourceFile(name: "t", text: "let r = " + text), commandNames: [], builtins: [])
    parser.parseAll()
    return parser.expressions.first?.native
  }

  @Test(arguments: [
    "1 + 2", #""a \($x) b""#, "$x.a[0]", ".a", "{a: $x, $y, \"k\": 1}", "[1, 2]", "$a // 3", "$x < 2 and true", "-$x + 2",
    "map(.id)", "map({id, state: .state})",
  ])
  func simpleExpressionsAreNative(_ text: String) {
    #expect(native(text) != nil, "\(text) should evaluate natively")
  }

  @Test(arguments: [
    "1 / 0", "1 < 2 < 3", "{a: 1 + 2}", "map(.a | .b)", "map(.a, .b)", "$x[]", ".a?", "\"\\u00e9\"", "$__loc__", "$ENV",
    "[.[] | .]", "1 as $x | $x",
  ])
  func everythingElseGoesToJQ(_ text: String) {
    #expect(native(text) == nil, "\(text) should be left to jq")
  }

  private func nativeRange(_ text: String) -> NativeRange? {
    var parser = Parser(file: SourceFile(name: "t", text: "for i in " + text + " { }"), commandNames: [], builtins: [])
    parser.parseAll()
    return parser.expressions.first?.nativeRange
  }

  @Test(arguments: [("range(10)", 1), ("range($n)", 1), ("(range(1; $x.n))", 2), ("range(0; 10; 2)", 3), ("range(.a + 1; 3)", 2)])
  func rangesWithNativeBoundsAreNative(_ text: String, _ bounds: Int) {
    #expect(nativeRange(text)?.bounds.count == bounds, "\(text) should generate natively")
  }

  @Test(arguments: [
    "range(1; 2; 3; 4)", "range()", "range(1) | . + 1", "range(1, 2)", "range(.[])", "(range(3)", "[range(3)]", "range(1);",
  ])
  func otherRangesGoToJQ(_ text: String) {
    #expect(nativeRange(text) == nil, "\(text) should be left to jq")
  }

  @Test func rangesFollowJQ() {
    func numbers(_ text: String) -> [Double]? {
      nativeRange(text)?.values(input: .null, variables: { _ in nil })?.compactMap(\.numberValue)
    }
    #expect(numbers("range(3)") == [0, 1, 2])
    #expect(numbers("range(2; 4)") == [2, 3])
    #expect(numbers("range(0.5; 2)") == [0.5, 1.5])
    #expect(numbers("range(9; 0; -4)") == [9, 5, 1])
    #expect(numbers("range(0; 3; 0)") == [])
    #expect(numbers("range(-1)") == [])
    // Left to jq: not numbers, nan, too long, or stuck past 2^53.
    #expect(numbers("range(\"a\")") == nil)
    #expect(numbers("range(1e1000 - 1e1000)") == nil)
    #expect(numbers("range(1e7)") == nil)
    #expect(numbers("range(1e17; 1e17 + 40)") == nil)
  }
}
