import Foundation
import JQ
import Testing

@testable import Emulator

/// A read replica and a restore across a restart of the emulator: the replica streams again, a restore cut
/// short is made again from its backup, and shutdown and `reset` leave no PostgreSQL process behind.
@Suite("Emulator replicas and restores across a restart", .serialized)
struct EmulatorReplicaRestartTests {
  private static let createBody = #"{"name": "kept", "provider": "aws", "region": "us-east-1", "size": "r8gd.large"}"#

  /// Runs `body` against an emulator on `directory`, then stops it (keeping the directory).
  private static func serving(_ directory: String, _ body: (EmulatorHarness) async throws -> Void) async throws {
    let configuration = EmulatorConfiguration(dataDirectory: directory, rateLimit: nil, backupDelay: 0.5)
    let harness = EmulatorHarness(emulator: try await LocalEmulator.start(configuration), directory: directory)
    do {
      try await body(harness)
    } catch {
      try? await harness.client.shutdown()
      await harness.emulator.stop()
      throw error
    }
    try? await harness.client.shutdown()
    await harness.emulator.stop()
  }

  @Test func replicaStreamsAgainAndACutShortRestoreFinishes() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mpg-replica-restart-\(UUID().uuidString)").path
    do {
      try await restartAcross(directory)
    } catch {
      try? await LocalEmulator.reset(dataDirectory: directory)
      throw error
    }
  }

  private func restartAcross(_ directory: String) async throws {
    var primaryID = "", replicaID = "", restoredID = "", password = ""
    try await Self.serving(directory) { harness in
      let created = try #require(try await harness.send(.POST, harness.postgresPath, body: Self.createBody).json?["result"])
      primaryID = try #require(created["id"]?.stringValue)
      password = try #require(created["password"]?.stringValue)
      let primary = try await harness.wait(for: "running", primaryID)
      _ = try await harness.waitForBackup(primaryID)
      #expect(try await harness.psql(primary, password: password, "create table t (v int); insert into t values (1)").succeeded)
      let replica = try await harness.send(
        .POST, harness.postgresPath + "/\(primaryID)/readReplica", body: #"{"name": "kept-ro"}"#)
      replicaID = try #require(replica.json?["result"]?["id"]?.stringValue, "\(replica.text)")
      _ = try await harness.wait(for: "running", replicaID)
      // Cut short: the emulator stops right after the request.
      let target = ISO8601DateFormatter().string(from: Date())
      let restored = try await harness.send(
        .POST, harness.postgresPath + "/\(primaryID)/restoredService",
        body: #"{"name": "kept-restore", "restoreTarget": "\#(target)"}"#)
      restoredID = try #require(restored.json?["result"]?["id"]?.stringValue, "\(restored.text)")
    }
    let stored = try JSONValue(parsing: try String(contentsOfFile: directory + "/state.json", encoding: .utf8))
    let replicaRecord = stored["services"]?.arrayElements?.first { $0["id"]?.stringValue == replicaID }
    #expect(replicaRecord?["parentId"]?.stringValue == primaryID, "the replica's primary is persisted")

    let root = try await LocalClusters.root(forDataDirectory: directory)
    try await Self.serving(directory) { [primaryID, replicaID, restoredID, password] harness in
      let primary = try await harness.wait(for: "running", primaryID)
      let replica = try await harness.wait(for: "running", replicaID)
      #expect(replica["isPrimary"]?.boolValue == false)
      #expect(try await harness.psql(primary, password: password, "insert into t values (2)").succeeded)
      var seen = ""
      for _ in 0..<100 where seen != "2" {
        seen = try await harness.psql(replica, password: password, "select count(*) from t").output
        if seen != "2" { try await Task.sleep(nanoseconds: 100_000_000) }
      }
      #expect(seen == "2", "the replica streams again after the restart")
      let restored = try await harness.wait(for: "running", restoredID, seconds: 120)
      #expect(try await harness.psql(restored, password: password, "select count(*) from t").output == "1")
      #expect(!EmulatorHarness.postgresProcesses(under: root).isEmpty)
    }
    #expect(EmulatorHarness.postgresProcesses(under: root).isEmpty, "shutdown stops the replica and the restored cluster too")
    try await LocalEmulator.reset(dataDirectory: directory)
    #expect(EmulatorHarness.postgresProcesses(under: root).isEmpty)
    #expect(!FileManager.default.fileExists(atPath: root))
  }
}
