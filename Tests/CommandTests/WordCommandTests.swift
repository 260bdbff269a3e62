import Foundation
import JQ
import MPGTestSupport
import Testing

@testable import MPGShell

/// `mpg help`, `mpg version`, `mpg completion` and mpg's own check of its options.
struct WordCommandTests {
  @Test func helpNamesACommandStatementOrTopic() throws {
    let command = try MPGProcess.run(["help", "create"])
    #expect(command.status == 0 && command.standardOutput.hasPrefix("create [BODY]"), "\(command.standardError)")
    let topic = try MPGProcess.run(["help", "read-only"])
    #expect(topic.status == 0 && topic.standardOutput.contains("MPG_READ_ONLY=1"), "\(topic.standardError)")
    let overview = try MPGProcess.run(["help"])
    #expect(overview.status == 0, "\(overview.standardError)")
    for part in ["USAGE:", "--read-only", "Services:", "Statements:", "Topics:", "exit-codes"] {
      #expect(overview.standardOutput.contains(part), "`mpg help` lacks \(part)")
    }
  }

  /// The option list mpg checks before argument-parser is argument-parser's own, with the same arity.
  @Test func optionCheckKnowsEveryOption() throws {
    let dump = try MPGProcess.run(["--experimental-dump-help"])
    let arguments = try #require(try JSONValue(parsing: Array(dump.standardOutput.utf8))["command"]?["arguments"]?.arrayElements)
    var declared: [String: String] = [:]
    for argument in arguments {
      for name in argument["names"]?.arrayElements ?? [] where name["kind"]?.stringValue == "long" {
        declared[name["name"]?.stringValue ?? ""] = argument["kind"]?.stringValue
      }
    }
    let hidden: Set = ["generate-completion-script", "experimental-dump-help"]
    #expect(Set(declared.keys) == Set(CommandLineCheck.allOptions).subtracting(hidden))
    for (name, kind) in declared {
      let takesValue = CommandLineCheck.optionsWithValue.contains(name) || CommandLineCheck.optionsWithTwoValues.contains(name)
      #expect(takesValue == (kind == "option"), "--\(name) is a \(kind ?? "?") to argument-parser")
    }
  }

  @Test func unknownOptionsBeforeTheScriptOnly() {
    #expect(
      CommandLineCheck.unknownOption(in: ["--json", "-c", "1"]) == "unknown option `--json` (`mpg --help` lists the options)")
    #expect(CommandLineCheck.unknownOption(in: ["--dryrun", "x.mpg"])?.contains("did you mean `--dry-run`?") == true)
    #expect(CommandLineCheck.unknownOption(in: ["--arg", "--x", "--y", "x.mpg", "--anything"]) == nil)
    #expect(CommandLineCheck.unknownOption(in: ["--rate-limit", "off", "-c", "1", "--later"]) == nil)
    #expect(CommandLineCheck.unknownOption(in: ["script.mpg", "--its-own"]) == nil)
  }
}
