import Testing
@testable import Interpreter

@Suite("ElementwiseFilter")
struct ElementwiseFilterTests {
  private func tokens(_ text: String) throws -> [Token] {
    var lexer = Lexer(file: SourceFile(name: "test.mpg", text: text))
    var tokens: [Token] = []
    while true {
      let token = try lexer.nextToken()
      if token.kind == .end { return tokens }
      if token.kind != .newline { tokens.append(token) }
    }
  }

  @Test(arguments: [
    ".[]", ".[] | .id", ".[]|.id", ". [ ] | select(.state == \"running\") | .id", ".[] | .a, .b",
    ".[] | . as $x | $x", ".[] |\n  .id", ".[] | \"\\(.id)\"",
  ])
  func iterationFirstIsElementwise(_ text: String) throws {
    #expect(ElementwiseFilter.matches(try tokens(text)))
  }

  @Test(arguments: [
    ".", ".[0]", ".[]?", ".[][]", ".[] .a", ".[].a", ".[] |= 1", ".[] as $x | $x", ".[], 1", ".. | .a",
    "(.[] | .a)", "map(.a) | .[]", ".[] | debug", ".[] | .a | stderr", ".[] | \"\\(debug)\"",
  ])
  func anythingElseIsNot(_ text: String) throws {
    #expect(!ElementwiseFilter.matches(try tokens(text)))
  }
}
