import Builtins
import Dispatch
import JQ
import Testing
@testable import Interpreter

@Suite("Evaluator")
struct EvaluatorTests {
  /// Runs `text` in a fresh evaluator and returns what it printed.
  private func run(_ text: String, interrupts: InterruptState = InterruptState()) async throws -> String {
    let output = CapturedOutput()
    let evaluator = Evaluator(
      commands: BuiltinRegistry.standard, output: output, settings: .init(printOptions: .compact), interrupts: interrupts)
    try await evaluator.run(try evaluator.load(SourceFile(name: "test.mpg", text: text)))
    return output.standardOutput
  }

  @Test func blocksDoNotOpenAScope() async throws {
    #expect(try await run("let n = 0\nfor i in range(4) { let n = $n + $i }\necho $n") == "6\n")
  }

  @Test func functionsHaveTheirOwnLocals() async throws {
    let text = """
      let seen = "script"
      fn f x { let seen = "fn"; return [$x, $seen] }
      let r = f 1
      echo $r $seen
      """
    #expect(try await run(text) == #"[1,"fn"] script"# + "\n")
  }

  @Test func functionsMayBeCalledBeforeTheirDefinition() async throws {
    #expect(try await run("greet world\nfn greet who { echo \"hi \\($who)\" }") == "hi world\n")
  }

  @Test func forIteratesOverASnapshot() async throws {
    #expect(try await run("let xs = [1, 2]\nfor x in $xs[] { let xs = $xs + [$x] }\necho $xs") == "[1,2,1,2]\n")
  }

  @Test func breakAndContinue() async throws {
    let text = "for i in range(10) { if $i == 2 { continue }; if $i == 4 { break }; echo $i }"
    #expect(try await run(text) == "0\n1\n3\n")
  }

  @Test func catchBindsAnErrorObject() async throws {
    let text = "try { error({code: 7}) } catch e { echo $e.kind $e.value.code $e.location.line $e.location.column }"
    #expect(try await run(text) == "jq 7 1 7\n")
  }

  @Test func letNeedsExactlyOneValue() async throws {
    await #expect(throws: RuntimeError.self) { try await run("let x = empty") }
    do {
      _ = try await run("let x = (1, 2)")
    } catch let error as RuntimeError {
      #expect(error.message.contains("2 values"))
      #expect(error.message.contains("[ … ]"))
    }
  }

  @Test func unsetVariableIsARuntimeError() async throws {
    do {
      _ = try await run("if false { let later = 1 }\necho ($later | tostring)")
      Issue.record("expected an error")
    } catch let error as RuntimeError {
      #expect(error.message == "variable `$later` is not set here")
      #expect(error.span?.line == 2)
    }
  }

  @Test func exitStopsTheRunWithItsCode() async throws {
    do {
      _ = try await run("echo a\nexit 3\necho b")
      Issue.record("expected an exit")
    } catch let exit as ExitRequest {
      #expect(exit.code == 3)
    }
  }

  @Test func interruptionStopsAnEndlessLoop() async throws {
    let interrupts = InterruptState()
    // A serial queue of its own: global-queue threads may all be busy running the endless loops.
    DispatchQueue(label: "test.interrupt").asyncAfter(deadline: .now() + .milliseconds(200)) { interrupts.interrupt() }
    await #expect(throws: Interruption.self) { try await run("while true { let x = 1 }", interrupts: interrupts) }
  }

  @Test func interruptionHaltsALongJQFilter() async throws {
    let interrupts = InterruptState()
    DispatchQueue(label: "test.interrupt").asyncAfter(deadline: .now() + .milliseconds(300)) { interrupts.interrupt() }
    await #expect(throws: Interruption.self) { try await run("last(range(1e10))", interrupts: interrupts) }
  }

  @Test func nativeAndJQPathsAgree() async throws {
    // The same expression evaluated natively (first) and by jq (forced by `| .`).
    let cases = [#"{a: $x, b: ($x + 1), c: "n=\($x)"}"#, "[$x < 3, $x == 2.0, $x // 9, -$x * 2]"]
    for text in cases {
      let native = try await run("let x = 2\n\(text)")
      let viaJQ = try await run("let x = 2\n\(text) | .")
      #expect(native == viaJQ, "\(text)")
    }
  }
}
