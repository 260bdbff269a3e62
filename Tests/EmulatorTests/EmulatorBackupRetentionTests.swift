import Foundation
import JQ
import Testing

@testable import Emulator

/// Backup retention on a real cluster: the newest seven base backups stay, and the WAL archive keeps only
/// what the oldest of them needs.
@Suite("Emulator backup retention", .serialized)
struct EmulatorBackupRetentionTests {
  @Test func oldBackupsAndTheWALBeforeThemGo() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mpg-retention-\(UUID().uuidString)").path
    // A backup every 0.3 s: the eighth one drops the first.
    let configuration = EmulatorConfiguration(dataDirectory: directory, rateLimit: nil, backupDelay: 0.2, backupInterval: 0.3)
    let harness = EmulatorHarness(emulator: try await LocalEmulator.start(configuration), directory: directory)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    do {
      try await check(harness)
    } catch {
      try? await harness.client.shutdown()
      await harness.emulator.stop()
      try? await LocalEmulator.reset(dataDirectory: directory)
      throw error
    }
    try? await harness.client.shutdown()
    await harness.emulator.stop()
    try await LocalEmulator.reset(dataDirectory: directory)
  }

  private func check(_ harness: EmulatorHarness) async throws {
    let body = #"{"name": "kept", "provider": "aws", "region": "us-east-1", "size": "r8gd.large"}"#
    let id = try #require(try await harness.send(.POST, harness.postgresPath, body: body).json?["result"]?["id"]?.stringValue)
    _ = try await harness.wait(for: "running", id)
    let first = try #require(try await harness.waitForBackup(id).first?["key"]?.stringValue)
    let root = try await LocalClusters.root(forDataDirectory: harness.directory) + "/" + id
    let deadline = Date().addingTimeInterval(90)
    var problem = "the first backup was never dropped"
    while Date() < deadline {
      let keys =
        try await harness.send(.GET, harness.postgresPath + "/\(id)/backups").json?["result"]?.arrayElements?.compactMap {
          $0["key"]?.stringValue
        } ?? []
      if !keys.contains(first), let oldest = keys.last {
        #expect(keys.count == 7, "\(keys)")
        let label = (try? String(contentsOfFile: "\(root)/backups/\(oldest)/backup_label", encoding: .utf8)) ?? ""
        let start =
          label.split(separator: "\n").first { $0.hasPrefix("START WAL LOCATION:") }.map { String($0.suffix(25).prefix(24)) }
          ?? ""
        let segments = ((try? FileManager.default.contentsOfDirectory(atPath: "\(root)/archive")) ?? []).filter { $0.count == 24 }
        let older = segments.filter { $0.suffix(16) < start.suffix(16) }
        if start.count == 24 && older.isEmpty && !segments.isEmpty { return }
        problem = "archive segments older than \(start): \(older.sorted())"
      }
      try await Task.sleep(nanoseconds: 200_000_000)
    }
    Issue.record(Comment(rawValue: problem))
  }
}
