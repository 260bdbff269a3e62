// Golden scripts: every `Scripts/**/*.mpg` is one case, run as `mpg NAME.mpg` in its own folder and
// checked against the `# expect…` comments it carries (see GoldenExpectations for the directives).
//
// Files a case needs but that are not cases themselves (sourced libraries, JSON to load) either do
// not end in `.mpg` (`helpers.lib`, `data.json`) or live under a folder named `lib`, which is skipped.
// Each run gets a fresh empty directory in `$GOLDEN_TMP` for files it writes; it is removed afterwards.
import Foundation
import MPGTestSupport
import Testing

/// Runs every golden script and compares stdout, stderr and the exit status with its expectations.
@Test(arguments: GoldenScriptTests.cases)
func goldenScript(_ path: String) throws {
  let script = GoldenScriptTests.scriptsFolder.appendingPathComponent(path)
  let source = try String(contentsOf: script, encoding: .utf8)
  let expected: GoldenExpectations
  do {
    expected = try GoldenExpectations(fileName: script.lastPathComponent, source: source)
  } catch {
    Issue.record("\(path): malformed directive at \(error)")
    return
  }

  let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mpg-golden-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: scratch) }

  let arguments = expected.commandLine ?? expected.mpgArguments + [script.lastPathComponent] + expected.scriptArguments
  let input = expected.standardInput.isEmpty ? "" : expected.standardInput.joined(separator: "\n") + "\n"
  let run = try MPGProcess.run(
    arguments,
    input: input,
    directory: script.deletingLastPathComponent(),
    environment: ["GOLDEN_TMP": scratch.path],
    interruptAfter: expected.interruptAfter
  )

  let stdout = expected.standardOutput.map { $0 + "\n" }.joined()
  #expect(run.standardOutput == stdout, "\(path): stdout differs\n--- stderr ---\n\(run.standardError)")
  for problem in GoldenScriptTests.errorProblems(run.standardError, expected: expected.standardError) {
    Issue.record("\(path): \(problem)\n--- stderr ---\n\(run.standardError)")
  }
  #expect(
    run.status == expected.exitStatus,
    "\(path): exit status \(run.status), expected \(expected.exitStatus)\n--- stderr ---\n\(run.standardError)")
}

/// Finding the cases and comparing standard error.
enum GoldenScriptTests {
  static let scriptsFolder = MPGProcess.packageRoot().appendingPathComponent("Tests/GoldenTests/Scripts")

  /// Every case, as a path relative to `Scripts/`, sorted so runs list them in a stable order.
  static let cases: [String] = {
    let root = scriptsFolder.standardizedFileURL.path
    guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
    return walker.compactMap { $0 as? String }
      .filter { $0.hasSuffix(".mpg") && !$0.split(separator: "/").contains("lib") }
      .sorted()
  }()

  /// What is wrong with `stderr`: an expected line missing (they must appear in order), an error
  /// nobody expected, or any output at all when nothing was expected.
  static func errorProblems(_ stderr: String, expected: [GoldenExpectations.ErrorLine]) -> [String] {
    let lines = stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast(stderr.hasSuffix("\n") ? 1 : 0)
    if expected.isEmpty {
      return stderr.isEmpty ? [] : ["expected no stderr"]
    }
    var problems: [String] = []
    var matched: Set<Int> = []
    var next = lines.startIndex
    for line in expected {
      guard let found = lines[next...].firstIndex(where: { line.matches($0) }) else {
        problems.append("stderr lacks (in this order) `\(line)`")
        continue
      }
      matched.insert(found)
      next = found + 1
    }
    // Every error header must be expected, so a cascade of follow-on errors cannot pass unnoticed.
    for (index, line) in zip(lines.indices, lines) where !matched.contains(index) && isErrorHeader(line) {
      problems.append("unexpected error `\(line)`")
    }
    return problems
  }

  /// `FILE:LINE:COLUMN: error: …` or `mpg: error: …`.
  private static func isErrorHeader(_ line: Substring) -> Bool {
    if line.hasPrefix("mpg: error: ") { return true }
    guard let range = line.range(of: ": error: ") else { return false }
    let location = line[..<range.lowerBound].split(separator: ":")
    return location.count >= 3 && location.suffix(2).allSatisfy { $0.allSatisfy(\.isNumber) }
  }
}
