import Interpreter
import Testing

/// The prompt's completion reads unfinished input with the lexer: strings, interpolations and
/// brackets as the parser sees them.
struct CompletionContextTests {
  @Test(arguments: [
    ("get my-db", "get my-db"),
    ("let x = 1; wait $x", "wait $x"),
    ("if $x { restart ", "restart "),
    ("echo \"a; b\"; sql $pg \"select", "sql $pg \"select"),
    ("echo \"\\(1; 2) { \" ; get ", "get "),
    ("let xs = [1,\n2]; tag ", "tag "),
    ("for s in $all[] {\n  delete", "delete"),
    ("  list", "list"),
    ("", ""),
  ])
  func statementUnderTheCursor(_ text: String, _ statement: String) {
    #expect(CompletionContext.statement(of: text) == statement)
  }

  @Test(arguments: [
    ("get $pg | ", true),
    ("get $pg | map(", true),
    ("echo (1 + ", true),
    ("echo [1, ", true),
    ("get my-db ", false),
    ("echo \"a | b\" ", false),
    ("echo \"(\" ", false),
    ("echo (1) ", false),
  ])
  func insideAnExpression(_ text: String, _ inside: Bool) {
    #expect(CompletionContext.isInsideExpression(text) == inside)
  }
}
