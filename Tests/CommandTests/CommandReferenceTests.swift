import Foundation
import MPGTestSupport
import Testing

/// docs/commands.md is generated from the commands' declarations; it must match them.
struct CommandReferenceTests {
  @Test func docsMatchTheDeclarations() throws {
    let run = try MPGProcess.run(["-c", "help --markdown"])
    #expect(run.status == 0, "\(run.standardError)")
    let file = MPGProcess.packageRoot().appendingPathComponent("docs/commands.md")
    let committed = try String(contentsOf: file, encoding: .utf8)
    #expect(run.standardOutput == committed, "docs/commands.md is out of date: run scripts/gen-command-docs")
  }

  @Test func helpOfEveryCommandShowsUsageAndAnExample() throws {
    let list = try MPGProcess.run(["-c", "help"])
    let names = list.standardOutput.split(separator: "\n").filter { $0.hasPrefix("  ") }.map { String($0.dropFirst(2).prefix { $0 != " " }) }
    #expect(names.count >= 30, "\(list.standardOutput)")
    for name in names {
      let run = try MPGProcess.run(["-c", "help \(name)"])
      #expect(run.status == 0, "help \(name): \(run.standardError)")
      #expect(run.standardOutput.contains("Examples:"), "help \(name) has no example")
    }
  }

  @Test func helpOfAnUnknownCommandSuggests() throws {
    let run = try MPGProcess.run(["-c", "help creat"])
    #expect(run.status == 2)
    #expect(run.standardError.contains("did you mean `create`?"), "\(run.standardError)")
  }
}
