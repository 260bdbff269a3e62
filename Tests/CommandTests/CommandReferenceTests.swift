import Foundation
import MPGTestSupport
import Outcomes
import Testing

/// docs/commands.md is generated from the commands' declarations; it must match them.
struct CommandReferenceTests {
  /// The language reference's table of error kinds is the code's, kind by kind; `help errors` prints it.
  @Test func everyErrorKindIsInTheLanguageReference() throws {
    let file = MPGProcess.packageRoot().appendingPathComponent("docs/language.md")
    let reference = try String(contentsOf: file, encoding: .utf8)
    let help = try MPGProcess.run(["-c", "help errors"]).standardOutput
    for kind in ErrorKind.allCases {
      #expect(
        reference.contains("| `\(kind.rawValue)` | \(kind.meaning) |"), "docs/language.md lacks the row of `\(kind.rawValue)`")
      #expect(help.contains(kind.rawValue), "help errors lacks `\(kind.rawValue)`")
    }
  }

  @Test func docsMatchTheDeclarations() throws {
    let run = try MPGProcess.run(["-c", "help --markdown"])
    #expect(run.status == 0, "\(run.standardError)")
    let file = MPGProcess.packageRoot().appendingPathComponent("docs/commands.md")
    let committed = try String(contentsOf: file, encoding: .utf8)
    #expect(run.standardOutput == committed, "docs/commands.md is out of date: run scripts/gen-command-docs")
  }

  /// Every name the overview lists has a page: a command's with usage and examples, a statement's or
  /// topic's with its own text.
  @Test func helpOfEveryCommandShowsUsageAndAnExample() throws {
    let list = try MPGProcess.run(["-c", "help"])
    var section = ""
    var names: [(name: String, section: String)] = []
    for line in list.standardOutput.split(separator: "\n") {
      if line.hasPrefix("  ") {
        names.append((String(line.dropFirst(2).prefix { $0 != " " }), section))
      } else if line.hasSuffix(":") {
        section = String(line.dropLast())
      }
    }
    #expect(names.filter { $0.section != "Statements" && $0.section != "Topics" }.count >= 30, "\(list.standardOutput)")
    #expect(Set(["let", "for", "try"]).isSubset(of: names.filter { $0.section == "Statements" }.map(\.name)))
    #expect(Set(["variables", "exit-codes", "environment"]).isSubset(of: names.filter { $0.section == "Topics" }.map(\.name)))
    for (name, section) in names {
      let run = try MPGProcess.run(["-c", "help \(name)"])
      #expect(run.status == 0, "help \(name): \(run.standardError)")
      if section == "Statements" || section == "Topics" {
        #expect(run.standardOutput.count > 40, "help \(name) says too little")
      } else {
        #expect(run.standardOutput.contains("Examples:"), "help \(name) has no example")
      }
    }
  }

  @Test func helpOfAnUnknownCommandSuggests() throws {
    let run = try MPGProcess.run(["-c", "help creat"])
    #expect(run.status == 2)
    #expect(run.standardError.contains("did you mean the command `create`?"), "\(run.standardError)")
    // `help let` used to answer "did you mean `get`?": statements have pages of their own now.
    let statement = try MPGProcess.run(["-c", "help let"])
    #expect(statement.status == 0 && statement.standardOutput.hasPrefix("let NAME = PIPELINE"), "\(statement.standardError)")
  }
}
