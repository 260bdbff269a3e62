import Foundation
import Testing

@testable import Emulator

/// Shutdown stops every cluster, even one caught in the middle of its create, and `reset` then leaves no
/// PostgreSQL process and none of the emulator's directories (clusters, templates, spare copies).
@Suite("Emulator shutdown and reset leave nothing behind", .serialized)
struct EmulatorHousekeepingTests {
  private static func createBody(_ name: String) -> String {
    #"{"name": "\#(name)", "provider": "aws", "region": "us-east-1", "size": "r8gd.large"}"#
  }

  @Test func shutdownAndResetLeaveNoProcessesOrDirectories() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mpg-housekeeping-\(UUID().uuidString)").path
    let harness = EmulatorHarness(
      emulator: try await LocalEmulator.start(EmulatorConfiguration(dataDirectory: directory, rateLimit: nil)),
      directory: directory)
    // Once the data directory exists: it decides whether the clusters live in it or under /var/lib/mpg.
    let root = try await LocalClusters.root(forDataDirectory: directory)
    do {
      let running = try #require(
        try await harness.send(.POST, harness.postgresPath, body: Self.createBody("kept")).json?["result"]?["id"]?.stringValue)
      _ = try await harness.wait(for: "running", running)
      #expect(!EmulatorHarness.postgresProcesses(under: root).isEmpty)
      // The server logs through PostgreSQL's collector, inside the cluster's data directory.
      let logs = (try? FileManager.default.contentsOfDirectory(atPath: "\(root)/\(running)/data/log")) ?? []
      #expect(logs.contains { $0.hasPrefix("postgresql-") }, "\(logs)")
      // Shut down while this one is still being created.
      _ = try await harness.send(.POST, harness.postgresPath, body: Self.createBody("cut-short"))
    } catch {
      try? await harness.client.shutdown()
      await harness.emulator.stop()
      try? await LocalEmulator.reset(dataDirectory: directory)
      throw error
    }
    try? await harness.client.shutdown()
    await harness.emulator.stop()
    #expect(EmulatorHarness.postgresProcesses(under: root).isEmpty, "shutdown stops every cluster")
    #expect(FileManager.default.fileExists(atPath: root + "/templates"))

    try await LocalEmulator.reset(dataDirectory: directory)
    #expect(!FileManager.default.fileExists(atPath: directory))
    #expect(!FileManager.default.fileExists(atPath: root), "reset removes clusters, templates and spare copies")
    // Nothing comes back afterwards (a spare copy finishing late would recreate the templates directory).
    try await Task.sleep(nanoseconds: 500_000_000)
    #expect(!FileManager.default.fileExists(atPath: root))
    #expect(EmulatorHarness.postgresProcesses(under: root).isEmpty)
  }
}
