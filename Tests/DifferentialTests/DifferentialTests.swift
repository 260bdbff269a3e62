// The differential test: every case of `Cases/*.txt` runs through the built `mpg` and through the
// `jq` CLI (the same libjq 1.6); standard output must be identical, and one fails exactly when the
// other does. Exit codes and error messages may differ: mpg has its own (documented) ones.
import Foundation
import MPGTestSupport
import Testing

@Suite("mpg agrees with the jq CLI")
struct DifferentialTests {
  @Test("the case files are well formed and hold at least 250 cases")
  func caseFiles() {
    let problems = DifferentialCaseFile.all.flatMap(\.problems)
    #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    let count = DifferentialCaseFile.all.reduce(0) { $0 + $1.cases.count }
    #expect(count >= 250, "only \(count) cases")
  }

  @Test("the jq CLI is jq 1.6, the libjq mpg embeds")
  func oracleVersion() throws {
    let version = try JQProcess.run(["--version"]).standardOutput
    #expect(version == "jq-1.6\n", "the differential test compares with jq 1.6; PATH has \(version)")
  }

  /// Each case meets jq in both `EvaluationMode`s. jq runs once per case, pretty, with the input
  /// file as its argument; its compact output is derived (`CompactJSON`), and checked against
  /// `jq -c` for every eighth case. mpg runs a file's cases as batches (`MPGBatch`); a case that jq
  /// cannot compile, or that the batch did not complete, or whose batched result differs, runs in an
  /// mpg process of its own, and only that run is judged, so a batch can never excuse or cause a
  /// failure. Inputs are files rather than pipes: a process that exits before reading its standard
  /// input would kill the test process with SIGPIPE.
  @Test("mpg prints what jq prints", arguments: DifferentialCaseFile.all)
  func matchesJQ(_ file: DifferentialCaseFile) throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mpg-differential-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let cases = file.cases
    let inputPaths = cases.indices.map { folder.appendingPathComponent("\($0).json").path }

    let expected = try Parallel.map(cases.count) { index in
      let testCase = cases[index]
      try Data((testCase.input + "\n").utf8).write(to: URL(fileURLWithPath: inputPaths[index]))
      let variables = DifferentialTests.variables(input: testCase.input)
      // jq 1.6 reads a program that starts with `-` (`-1 + 2`) as an option; a leading space avoids that.
      let pretty = try JQProcess.run(variables + [" " + testCase.program, inputPaths[index]])
      let compact =
        testCase.ordinal % 8 == 0
        ? try JQProcess.run(["-c"] + variables + [" " + testCase.program, inputPaths[index]]) : nil
      return (pretty: pretty, compact: compact)
    }
    for (testCase, jq) in zip(cases, expected) {
      guard let compact = jq.compact else { continue }
      let derived = CompactJSON.from(pretty: jq.pretty.standardOutput)
      #expect(
        derived == compact.standardOutput,
        "\(testCase.location): jq -c printed\n\(compact.standardOutput)\nbut the compact form derived from jq's pretty output is\n\(derived)"
      )
    }

    let modes = EvaluationMode.allCases
    let batched = try Parallel.map(modes.count) { modeIndex in
      try DifferentialTests.runBatches(
        cases, inputPaths: inputPaths, expected: expected.map(\.pretty), mode: modes[modeIndex], folder: folder)
    }
    // What jq says, per mode and case, in the form mpg's outcomes take.
    let wanted = modes.map { mode in
      expected.map { jq in
        CaseOutcome(
          standardOutput: mode == .compactPipe ? CompactJSON.from(pretty: jq.pretty.standardOutput) : jq.pretty.standardOutput,
          failed: jq.pretty.status != 0)
      }
    }
    let unsettled = modes.indices.flatMap { modeIndex in
      cases.indices.filter { batched[modeIndex][$0] != wanted[modeIndex][$0] }.map { (modeIndex, $0) }
    }
    let alone = try Parallel.map(unsettled.count) { item in
      let (modeIndex, index) = unsettled[item]
      return try DifferentialTests.runAlone(cases[index], inputPath: inputPaths[index], mode: modes[modeIndex])
    }
    for ((modeIndex, index), run) in zip(unsettled, alone) {
      let jq = wanted[modeIndex][index]
      guard CaseOutcome(standardOutput: run.standardOutput, failed: run.status != 0) != jq else { continue }
      report(cases[index], mode: modes[modeIndex], mpg: run, jq: expected[index].pretty, jqOutput: jq.standardOutput)
    }
  }

  /// Outcomes of the cases mpg ran in batches, by index; `nil` for cases left to run alone.
  private static func runBatches(
    _ cases: [DifferentialCase], inputPaths: [String], expected: [JQRun], mode: EvaluationMode, folder: URL
  ) throws -> [CaseOutcome?] {
    var outcomes = [CaseOutcome?](repeating: nil, count: cases.count)
    // jq's exit status 0 is success and 5 a runtime error; anything else (3, a compile error) would
    // stop a whole mpg batch before it runs, so those cases run alone.
    var remaining = cases.indices.filter { [0, 5].contains(expected[$0].status) }[...]
    while !remaining.isEmpty {
      let batch = remaining.map { (testCase: cases[$0], inputPath: inputPaths[$0]) }
      let script = folder.appendingPathComponent("batch-\(mode == .loadFilter ? "pretty" : "compact").mpg")
      let completed = try MPGBatch.run(batch, mode: mode, variables: DifferentialTests.fixedVariables, script: script)
      for (index, outcome) in zip(remaining, completed) { outcomes[index] = outcome }
      // The first case the batch did not complete (it halted, or the script did not compile) is
      // left to run alone; the batch resumes after it.
      remaining = remaining.dropFirst(completed.count + 1)
    }
    return outcomes
  }

  private static func runAlone(_ testCase: DifferentialCase, inputPath: String, mode: EvaluationMode) throws -> MPGRun {
    let variables = DifferentialTests.variables(input: testCase.input)
    return try MPGProcess.run(mode.options + variables + ["-c", mode.statement(program: testCase.program, inputPath: inputPath)])
  }

  /// `$in` is the input, so programs can read it as a variable (the native evaluator's
  /// `$var.path` forms), plus `fixedVariables`.
  static func variables(input: String) -> [String] {
    ["--argjson", "in", input] + fixedVariables
  }

  /// Bound in both tools and named after jq 1.6 keywords, which jq cannot read as `$and`, `$break`,
  /// `$module`: mpg must refuse them too, even when they are set.
  static let fixedVariables = ["--arg", "and", "and", "--arg", "break", "break", "--arg", "module", "module"]

  private func report(_ testCase: DifferentialCase, mode: EvaluationMode, mpg: MPGRun, jq: JQRun, jqOutput: String) {
    let sameOutput = mpg.standardOutput == jqOutput
    let problem = sameOutput ? "one failed and the other did not" : "standard output differs"
    Issue.record(
      """
      \(testCase.location) (\(mode.rawValue)): \(problem)
        program: \(testCase.program)
        input:   \(testCase.input)
      mpg (exit \(mpg.status)):
      \(DifferentialTests.indented(mpg.standardOutput, mpg.standardError))
      jq (exit \(jq.status)):
      \(DifferentialTests.indented(jqOutput, jq.standardError))
      """)
  }

  private static func indented(_ output: String, _ error: String) -> String {
    func block(_ label: String, _ text: String) -> String {
      let lines = text.isEmpty ? ["(empty)"] : text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      return "  \(label):\n" + lines.map { "    | \($0)" }.joined(separator: "\n")
    }
    return block("stdout", output) + "\n" + block("stderr", error)
  }
}
