import Foundation
import MPGTestSupport
import Testing

/// Memory running out is a located error and exit 1, not an abort, and what came before is kept.
@Suite("Memory ceiling")
struct MemoryCeilingTests {
  @Test(arguments: [
    ("let x = [def f: [f]; f]", "let x = [def f: [f]; f]"),
    (#"let z = load "/dev/zero""#, #"let z = load "/dev/zero""#),
  ])
  func runawayStatementIsALocatedError(statement: String, line: String) throws {
    let run = try MPGProcess.run(
      ["-c", "echo \"before\"\n\(statement)\necho \"after\""], environment: ["MPG_MEMORY_LIMIT": "256M"])
    #expect(run.status == 1, "\(run.standardError)")
    #expect(run.standardOutput == "before\n", "the earlier output is kept, nothing after runs")
    #expect(
      run.standardError.contains("<command line>:2:1: error: out of memory: this statement reached mpg's ceiling of 256 MB"),
      "\(run.standardError)")
    #expect(run.standardError.contains("  \(line)\n  ^\n"), "\(run.standardError)")
    #expect(!run.standardError.contains("Backtracing"), "\(run.standardError)")
  }

  @Test func unreadableCeilingIsAUsageError() throws {
    for value in ["abc", "10M", "-1G", "1.5G"] {
      let run = try MPGProcess.run(["-c", "echo 1"], environment: ["MPG_MEMORY_LIMIT": value])
      #expect(run.status == 2, "\(value): \(run.standardError)")
      #expect(run.standardError.contains("MPG_MEMORY_LIMIT takes `off` or a size of at least 64M"), "\(run.standardError)")
    }
    let off = try MPGProcess.run(["-c", "echo 1"], environment: ["MPG_MEMORY_LIMIT": "off"])
    #expect(off.status == 0 && off.standardOutput == "1\n")
  }
}
