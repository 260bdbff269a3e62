import Dispatch
import Testing
@testable import JQ

@Suite("JQProgram")
struct JQProgramTests {
  @Test func runsWithNamedVariables() throws {
    let program = try JQProgram("[$a, .x + $b]", variables: [("a", JSONValue("hi")), ("b", JSONValue(2))])
    let outputs = try program.outputs(for: try JSONValue(parsing: #"{"x": 40}"#))
    #expect(outputs.map(\.description) == [#"["hi",42]"#])
  }

  @Test func restartsForEachInput() throws {
    let program = try JQProgram(".[]")
    #expect(try program.outputs(for: try JSONValue(parsing: "[1,2,3]")).count == 3)
    #expect(try program.outputs(for: try JSONValue(parsing: "[4]")).map(\.description) == ["4"])
  }

  @Test func compileErrorsComeBackAsOneCleanMessage() {
    do {
      _ = try JQProgram("1 +")
      Issue.record("expected a compile error")
    } catch {
      #expect(error.diagnostics.count == 1)
      #expect(error.diagnostics[0].message == "syntax error, unexpected $end")
      #expect(error.diagnostics[0].line == 1)
    }
  }

  @Test func undefinedNamesAreCompileErrors() {
    do {
      _ = try JQProgram("nosuchfunction(1)")
      Issue.record("expected a compile error")
    } catch {
      #expect(error.diagnostics.map(\.message) == ["nosuchfunction/1 is not defined"])
    }
  }

  @Test func runtimeErrorsKeepMessageAndValue() throws {
    let program = try JQProgram(#"error({code: 7})"#)
    program.start(.null)
    do {
      _ = try program.next()
      Issue.record("expected a runtime error")
    } catch {
      guard case .error(let error) = error else {
        Issue.record("expected .error")
        return
      }
      #expect(error.value?.description == #"{"code":7}"#)
    }
    // The state is usable after an error.
    #expect(try JQProgram("1").outputs(for: .null).count == 1)
  }

  @Test func haltFromAnotherThreadStopsALongFilter() throws {
    let program = try JQProgram("last(range(1e10))")
    DispatchQueue(label: "test.halt").asyncAfter(deadline: .now() + .milliseconds(200)) { program.requestHalt() }
    program.start(.null)
    #expect(throws: JQRunError.self) { _ = try program.next() }
    // And the program runs again afterwards.
    let quick = try JQProgram("first(range(5))")
    #expect(try quick.outputs(for: .null).map(\.description) == ["0"])
  }
}

@Suite("ExpressionBatch")
struct ExpressionBatchTests {
  @Test func evaluatesEachExpressionWithItsOwnVariables() throws {
    let expressions = (0..<37).map { ExpressionBatch.Expression(text: "$x * \($0) + (. // 0)", parameters: ["x"]) }
    let batch = try ExpressionBatch(expressions)
    for index in [0, 1, 17, 36] {
      let outputs = try batch.evaluate(index, input: JSONValue(1), arguments: [JSONValue(2)])
      #expect(outputs.map(\.description) == ["\(2 * index + 1)"])
    }
  }

  @Test func expressionsMayDefineFunctionsAndBindVariables() throws {
    let batch = try ExpressionBatch([
      .init(text: "def f: . * 2; [.[] | f]", parameters: []),
      .init(text: "reduce .[] as $v (0; . + $v)", parameters: []),
      .init(text: "# a comment\n.[0]", parameters: []),
    ])
    let input = try JSONValue(parsing: "[1,2,3]")
    #expect(try batch.evaluate(0, input: input, arguments: []).map(\.description) == ["[2,4,6]"])
    #expect(try batch.evaluate(1, input: input, arguments: []).map(\.description) == ["6"])
    #expect(try batch.evaluate(2, input: input, arguments: []).map(\.description) == ["1"])
  }

  @Test func compileErrorsNameTheExpressionAndLine() throws {
    do {
      _ = try ExpressionBatch([
        .init(text: "1 + 1", parameters: []),
        .init(text: "[1,\n 2,\n 3 +* 4]", parameters: []),
        .init(text: "map(.)", parameters: []),
        .init(text: "$undefined", parameters: []),
      ])
      Issue.record("expected a compile failure")
    } catch {
      try #require(error.problems.map(\.expression) == [1, 3])
      #expect(error.problems[0].lineInExpression == 2)
      #expect(error.problems[1].message == "$undefined is not defined")
    }
  }
}
