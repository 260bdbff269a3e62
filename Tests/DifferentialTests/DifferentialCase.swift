import Foundation
import MPGTestSupport
import Testing

/// One jq program and the JSON input it reads, as written in `Cases/*.txt`.
///
/// The case files use jq's own `tests/jq.test` layout without the expected output (jq itself is the
/// oracle): a program line, an input line, then a blank line. Lines starting with `#` are comments.
struct DifferentialCase: Sendable {
  /// The jq program, one line.
  var program: String
  /// The input, one line of JSON text.
  var input: String
  /// Where the case is written, as `FILE:LINE`.
  var location: String
  /// Position among all cases, for choosing a deterministic sample.
  var ordinal = 0
}

/// The cases of one file: the unit the test runs, so that mpg can evaluate many cases per process.
struct DifferentialCaseFile: Sendable, CustomTestStringConvertible {
  /// The file name inside `Cases/`.
  var name: String
  /// Its cases in order.
  var cases: [DifferentialCase]
  /// Blocks that are not one program line plus one input line, as `FILE:LINE: problem`.
  var problems: [String]

  var testDescription: String { "\(name) (\(cases.count) cases)" }

  /// The folder holding the case files.
  static var folder: URL {
    MPGProcess.packageRoot().appendingPathComponent("Tests/DifferentialTests/Cases")
  }

  /// Every case file, by name, with cases numbered across files.
  static let all: [DifferentialCaseFile] = {
    let urls = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
    var files: [DifferentialCaseFile] = []
    var ordinal = 0
    for url in urls.filter({ $0.pathExtension == "txt" }).sorted(by: { $0.lastPathComponent < $1.lastPathComponent }) {
      let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
      var file = parse(text, name: url.lastPathComponent)
      for index in file.cases.indices {
        file.cases[index].ordinal = ordinal
        ordinal += 1
      }
      files.append(file)
    }
    return files
  }()

  /// Splits one file into cases; a block with other than two lines is reported, not guessed at.
  static func parse(_ text: String, name: String) -> DifferentialCaseFile {
    var cases: [DifferentialCase] = []
    var problems: [String] = []
    var block: [(line: Int, text: String)] = []
    func finish() {
      defer { block = [] }
      guard !block.isEmpty else { return }
      guard block.count == 2 else {
        problems.append("\(name):\(block[0].line): expected a program line and an input line, found \(block.count) lines")
        return
      }
      cases.append(DifferentialCase(program: block[0].text, input: block[1].text, location: "\(name):\(block[0].line)"))
    }
    for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      if line.allSatisfy(\.isWhitespace) {
        finish()
      } else if !line.hasPrefix("#") {
        block.append((index + 1, String(line)))
      }
    }
    finish()
    return DifferentialCaseFile(name: name, cases: cases, problems: problems)
  }
}
