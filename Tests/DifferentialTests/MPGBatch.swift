import Foundation
import MPGTestSupport

/// How mpg is asked to evaluate a case's program. The program is parenthesised so that a `;` in it
/// stays inside one mpg statement.
enum EvaluationMode: String, Sendable, CaseIterable {
  /// Pretty output; the program is the filter of `load FILE`, so `.` is the input and an expression
  /// in mpg's native subset is evaluated natively (anything else goes to jq).
  case loadFilter = "pretty, filter of `load FILE`"
  /// Compact output; the program runs as `$in | (PROGRAM)`, never natively, so this checks mpg's
  /// compiled jq program (`ExpressionBatch`'s `def` wrapping) and compact printing.
  case compactPipe = "compact, `$in | (…)`"

  /// mpg's options for this mode.
  var options: [String] { self == .compactPipe ? ["--compact"] : [] }

  /// The mpg statement that evaluates `program` on the input stored at `inputPath`.
  func statement(program: String, inputPath: String) -> String {
    switch self {
    case .loadFilter where program.hasPrefix(".[]") && !program.contains(";"):
      // Bare, so that `.[] | …` takes `load`'s sliced path (the file is read one slice at a time).
      "load \(inputPath) | \(program)"
    case .loadFilter: "load \(inputPath) | (\(program))"
    case .compactPipe: "$in | (\(program))"
    }
  }
}

/// What mpg printed for one case and whether it failed.
struct CaseOutcome: Sendable, Equatable {
  /// Standard output.
  var standardOutput: String
  /// Whether mpg reported an error (a non-zero exit when run alone).
  var failed: Bool
}

/// Runs many cases in one mpg script, to spare a process start and a jq compile per case.
///
/// Each case becomes `let in = load FILE`, a marker line, and the case's statement inside
/// `try { … } catch e { … }`, whose handler prints an error marker. A case's outcome is what was
/// printed between its marker and the next; a case that ends the script (`halt`) or a script that
/// does not compile yields only the outcomes before it, and the caller runs the rest differently.
enum MPGBatch {
  private static let caseMarker = "@@mpg-differential case"
  private static let errorMarker = "@@mpg-differential error"
  private static let endMarker = "@@mpg-differential end"

  /// Runs `cases`, whose inputs are stored at the paired paths, as one script written to `script`.
  /// Returns the outcomes of the cases that completed: always a prefix of `cases`.
  static func run(
    _ cases: [(testCase: DifferentialCase, inputPath: String)], mode: EvaluationMode, variables: [String], script: URL
  ) throws -> [CaseOutcome] {
    var text = ""
    for (testCase, inputPath) in cases {
      text += """
        let in = load \(inputPath)
        echo "\(caseMarker)"
        try {
        \(mode.statement(program: testCase.program, inputPath: inputPath))
        } catch e {
        echo "\(errorMarker)"
        }

        """
    }
    text += "echo \"\(endMarker)\"\n"
    try Data(text.utf8).write(to: script)
    let run = try MPGProcess.run(mode.options + variables + [script.path])
    return outcomes(in: run.standardOutput)
  }

  /// Splits the script's output at the markers; the segment still open at the end is incomplete.
  static func outcomes(in output: String) -> [CaseOutcome] {
    var outcomes: [CaseOutcome] = []
    var current: [Substring]?
    func finishCurrent() {
      guard var lines = current else { return }
      let failed = lines.last == Substring(errorMarker)
      if failed { lines.removeLast() }
      outcomes.append(CaseOutcome(standardOutput: lines.map { $0 + "\n" }.joined(), failed: failed))
    }
    for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
      if line == caseMarker {
        finishCurrent()
        current = []
      } else if line == endMarker {
        finishCurrent()
        current = nil
        break
      } else {
        current?.append(line)
      }
    }
    return outcomes
  }
}
