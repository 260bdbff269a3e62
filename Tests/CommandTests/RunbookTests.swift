import Emulator
import Foundation
import MPGTestSupport
import Testing

/// The runbooks in scripts/ run against the real emulator, as CI runs them.
@Suite(.serialized)
struct RunbookTests {
  static let runbooks = [
    "create-wait-connect.mpg", "rotate-password.mpg", "tag-matching.mpg", "cleanup-by-tag.mpg", "replica-promote.mpg",
    "restore-point-in-time.mpg", "restart-by-tag.mpg", "replicas-for-all.mpg",
  ]

  @Test(arguments: runbooks)
  func runbookSucceeds(_ name: String) async throws {
    let path = MPGProcess.packageRoot().appendingPathComponent("scripts/\(name)").path
    try await CommandHarness.with { harness in
      let run = try await harness.runArguments(harness.connectionArguments() + [path], environment: harness.keyEnvironment())
      #expect(run.status == 0, "\(name): \(run.transcript)")
      let left = try await harness.run("list | length")
      #expect(left.standardOutput == "0\n", "\(name) left services behind: \(left.transcript)")
    }
  }

  /// The README's main command: `mpg --local scripts/create-wait-connect.mpg`, with the emulator
  /// started inside mpg and stopped (with its clusters) when it exits.
  @Test func lifecycleRunbookWithLocal() async throws {
    try await CommandHarness.with { harness in
      let path = MPGProcess.packageRoot().appendingPathComponent("scripts/create-wait-connect.mpg").path
      let run = try await harness.runArguments(["--local", path, "local-demo"])
      #expect(run.status == 0, "\(run.transcript)")
      #expect(run.standardOutput.contains("PostgreSQL 18"), "\(run.transcript)")
      #expect(run.standardOutput.contains("deleted local-demo"), "\(run.transcript)")
      let dataDirectory = harness.home.appendingPathComponent("data/mpg/emulator").path
      #expect(FileManager.default.fileExists(atPath: dataDirectory + "/state.json"))
      try? await Emulator.LocalEmulator.reset(dataDirectory: dataDirectory)
    }
  }
}
