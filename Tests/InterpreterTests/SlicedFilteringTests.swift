import Builtins
import JQ
import Outcomes
import Synchronization
import Testing
@testable import Interpreter

/// `COMMAND | .[] | …` with a command that hands its array over in slices: the outputs and errors
/// must be those of filtering the whole array, whatever the command does.
@Suite("Sliced filtering")
struct SlicedFilteringTests {
  /// `numbers`: an array of numbers in slices; `valid: false` stands for a file that turns out
  /// broken after the slices (the slices are handed on, then `false`, and `run` fails).
  final class Numbers: ArrayStreamingCommand {
    let name = "numbers"
    let summary = "Numbers in slices."
    let usage = "numbers"
    let examples: [String] = []
    let options: [CommandOption] = []
    let slices: [[Int]]
    let valid: Bool
    /// Ctrl-C pressed while this slice is handed on.
    let interruptAt: Int?
    let interrupts: InterruptState
    private let runs = Mutex(0)

    init(_ slices: [[Int]], valid: Bool = true, interruptAt: Int? = nil, interrupts: InterruptState = InterruptState()) {
      self.slices = slices
      self.valid = valid
      self.interruptAt = interruptAt
      self.interrupts = interrupts
    }

    var runCount: Int { runs.withLock { $0 } }

    func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
      runs.withLock { $0 += 1 }
      guard valid else { throw RuntimeError(kind: .io, message: "numbers are broken", at: call.span) }
      return JSONValue(array: slices.joined().map { JSONValue($0) })
    }

    func streamArray(_ call: CommandCall, context: CommandContext, slices body: (JSONValue) throws -> Void) async throws -> Bool {
      for (index, slice) in slices.enumerated() {
        if index == interruptAt { interrupts.interrupt() }
        try body(JSONValue(array: slice.map { JSONValue($0) }))
      }
      return valid
    }
  }

  struct Commands: CommandLookup {
    let numbers: Numbers
    func command(named name: String) -> (any Command)? {
      name == "numbers" ? numbers : BuiltinRegistry.standard.command(named: name)
    }
    var commandNames: Set<String> { BuiltinRegistry.standard.commandNames.union(["numbers"]) }
  }

  /// What a run printed, and the error or exit it ended with.
  private func run(_ text: String, _ numbers: Numbers) async -> (stdout: String, stderr: String, error: (any Error)?) {
    let output = CapturedOutput()
    let evaluator = Evaluator(
      commands: Commands(numbers: numbers), output: output, settings: .init(printOptions: .compact),
      interrupts: numbers.interrupts)
    do {
      try await evaluator.run(try evaluator.load(SourceFile(name: "test.mpg", text: text)))
      return (output.standardOutput, output.standardError, nil)
    } catch {
      return (output.standardOutput, output.standardError, error)
    }
  }

  @Test func filtersSliceBySliceWithoutTheWholeResult() async {
    let numbers = Numbers([[1, 2], [3], [4, 5]])
    let result = await run("numbers | .[] | . * 10\nnumbers | .[]", numbers)
    #expect(result.stdout == "10\n20\n30\n40\n50\n1\n2\n3\n4\n5\n")
    #expect(result.error == nil)
    #expect(numbers.runCount == 0)
  }

  @Test func otherFiltersGetTheWholeResult() async {
    let numbers = Numbers([[1, 2], [3]])
    let result = await run("numbers | (.[] | . * 10)\nnumbers | .[] | debug | empty", numbers)
    #expect(result.stdout == "10\n20\n30\n")
    #expect(numbers.runCount == 2)
  }

  @Test func letCollectsTheSlicedOutputs() async {
    let result = await run("let x = numbers | .[] | select(. > 2)\necho $x", Numbers([[1, 2], [3]]))
    #expect(result.stdout == "3\n")
  }

  @Test func aResultFoundBrokenShowsNothingButTheCommandsError() async {
    let numbers = Numbers([[1, 2], [3]], valid: false)
    let result = await run("numbers | .[] | . * 10", numbers)
    #expect(result.stdout == "")
    #expect((result.error as? RuntimeError)?.message == "numbers are broken")
    #expect(numbers.runCount == 1)
  }

  @Test func aFilterErrorComesAfterTheOutputsBeforeIt() async {
    let numbers = Numbers([[1, 2], [3, 4], [5]])
    let result = await run(#"numbers | .[] | if . == 3 then error("three") else . end"#, numbers)
    #expect(result.stdout == "1\n2\n")
    let error = result.error as? RuntimeError
    #expect(error?.message == "three")
    #expect(error?.kind == .jq)
    #expect(error?.span?.column == 11, "located at the whole filter, as without slices")
    #expect(numbers.runCount == 0)
  }

  @Test func aFilterErrorInABrokenResultIsTheCommandsError() async {
    let result = await run(
      #"numbers | .[] | if . == 3 then error("three") else . end"#, Numbers([[1, 2], [3, 4]], valid: false))
    #expect(result.stdout == "")
    #expect((result.error as? RuntimeError)?.message == "numbers are broken")
  }

  @Test func tryCatchesTheFilterError() async {
    let text = #"try { numbers | .[] | if . == 2 then error("two") else . end } catch e { echo "caught \($e.message)" }"#
    #expect(await run(text, Numbers([[1], [2]])).stdout == "1\ncaught two\n")
  }

  @Test func haltErrorPrintsAfterTheOutputsBeforeIt() async {
    let result = await run(#"numbers | .[] | if . == 2 then "bye\n" | halt_error(3) else . end"#, Numbers([[1], [2, 3]]))
    #expect(result.stdout == "1\n")
    #expect(result.stderr == "bye\n")
    #expect((result.error as? ExitRequest)?.code == 3)
  }

  @Test func ctrlCStopsItAndShowsNothing() async {
    let numbers = Numbers([[1], [2], [3]], interruptAt: 1)
    let result = await run("numbers | .[]", numbers)
    #expect(result.error is Interruption)
    #expect(result.stdout == "")
    #expect(numbers.runCount == 0)
  }
}
