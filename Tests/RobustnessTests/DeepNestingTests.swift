import Testing

@testable import Interpreter

/// Inputs far larger and deeper than the random cases, aimed at the recursive parts: the lexer's
/// nested interpolations, the native expression parser (and the evaluation and release of the trees
/// it builds), and nested blocks. mpg must reject or accept them without exhausting the stack.
@Suite struct DeepNestingTests {
  static let depth = 20_000

  static let inputs: [(name: String, text: String)] = [
    ("parentheses", String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)),
    ("arrays", String(repeating: "[", count: depth) + String(repeating: "]", count: depth)),
    ("objects", String(repeating: "{a: ", count: depth) + "1" + String(repeating: "}", count: depth)),
    ("negations", String(repeating: "-", count: depth) + "1"),
    ("alternatives", Array(repeating: "1", count: depth).joined(separator: " // ")),
    ("sums", Array(repeating: "1", count: depth).joined(separator: " + ")),
    ("conjunctions", Array(repeating: "true", count: depth).joined(separator: " and ")),
    ("field chain", "let x = {}\n$x" + String(repeating: ".a", count: depth) + "?"),
    ("indexes", "let x = 1\n$x" + String(repeating: "[0", count: depth) + String(repeating: "]", count: depth)),
    ("interpolations", String(repeating: "\"\\(", count: depth) + "1" + String(repeating: ")\"", count: depth)),
    ("unclosed interpolations", String(repeating: "\"\\(", count: depth)),
    ("blocks", String(repeating: "if true {\n", count: depth) + String(repeating: "}\n", count: depth)),
    // Every diagnostic here quotes this one long line, so it is shorter than the others.
    ("unclosed blocks", String(repeating: "while true { ", count: depth / 10)),
    ("functions", String(repeating: "fn f x {\n", count: depth) + String(repeating: "}\n", count: depth)),
    ("try blocks", String(repeating: "try { ", count: depth) + String(repeating: "} catch { }", count: depth)),
    ("command arguments", "echo " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth)),
    ("long line", "echo " + String(repeating: "word ", count: depth)),
  ]

  @Test(arguments: inputs.map(\.name))
  func deepInputParsesOrFailsWithLocatedDiagnostics(name: String) {
    let text = Self.inputs.first { $0.name == name }!.text
    let file = SourceFile(name: "deep.mpg", text: text)
    var parser = Parser(file: file, commandNames: ParserRobustnessTests.commandNames, builtins: ParserRobustnessTests.builtins)
    parser.parseAll()
    #expect(LocatedDiagnostics.problems(in: parser.diagnostics, of: file).isEmpty)
    for expression in parser.expressions {
      _ = expression.native?.evaluate(input: .null, variables: { _ in .null })
    }
    _ = InputCompleteness.isComplete(text)
  }

  /// The expressions the native parser leaves to jq must come back from jq's compiler as located
  /// errors (jq 1.6 reports "memory exhausted" past its parser's depth), not as a crash.
  @Test(arguments: ["parentheses", "negations", "sums", "objects"])
  func deepExpressionLoadsOrFailsWithLocatedDiagnostics(name: String) {
    let text = Self.inputs.first { $0.name == name }!.text
    let problems = ScriptLoaderRobustnessTests.check(Array(text.utf8))
    #expect(problems.isEmpty, "\(problems)")
  }
}
