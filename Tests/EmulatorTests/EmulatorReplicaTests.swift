import Foundation
import JQ
import Testing

/// Backups and read replicas over HTTP on real clusters: the backup listing, a replica refused before the
/// first backup, a streaming standby that reads the primary's writes and refuses its own, the rules for
/// changing and deleting, and promotion to a writable primary.
@Suite("Emulator backups and read replicas", .serialized)
struct EmulatorReplicaTests {
  private static let createBody = #"{"name": "primary", "provider": "aws", "region": "us-east-1", "size": "r8gd.large"}"#

  /// Polls a query on `service` until it prints `expected` (replication is asynchronous).
  private func eventually(
    _ harness: EmulatorHarness, _ service: JSONValue, password: String, _ sql: String, equals expected: String
  ) async throws {
    let deadline = Date().addingTimeInterval(20)
    var last = EmulatorHarness.SQLResult(status: -1, output: "")
    while Date() < deadline {
      last = try await harness.psql(service, password: password, sql)
      if last.succeeded && last.output == expected { return }
      try await Task.sleep(nanoseconds: 100_000_000)
    }
    throw TestFailure("\(sql) printed \(last.output) (status \(last.status)), expected \(expected)")
  }

  @Test func backupsThenAReplicaThatStreamsAndIsPromoted() async throws {
    try await EmulatorHarness.with(backupDelay: 1) { harness in
      let created = try #require(try await harness.send(.POST, harness.postgresPath, body: Self.createBody).json?["result"])
      let primaryID = try #require(created["id"]?.stringValue)
      let password = try #require(created["password"]?.stringValue)
      let primaryPath = harness.postgresPath + "/" + primaryID
      let primary = try await harness.wait(for: "running", primaryID)

      // Right after it runs there is no backup yet: the live API's refusal.
      let early = try await harness.send(.POST, primaryPath + "/readReplica", body: #"{"name": "too-early"}"#)
      #expect(early.status == 400, "\(early.text)")
      #expect(
        early.json?["error"]?.stringValue
          == "BAD_REQUEST: Parent server is not ready for read replicas. There are no backups, yet.")

      let backups = try await harness.waitForBackup(primaryID)
      let backup = try #require(backups.first)
      #expect(backup["key"]?.stringValue?.hasPrefix("base_") == true, "\(backup)")
      #expect(backup["status"]?.stringValue == "completed")
      #expect(backup["lastModified"]?.stringValue?.hasSuffix("Z") == true)
      let described = try await harness.send(.GET, primaryPath)
      #expect(
        described.json?["result"]?["earliestRestoreTime"]?.stringValue == backup["lastModified"]?.stringValue, "\(described.text)"
      )
      for bad in ["0", "101", "ten"] {
        let reply = try await harness.send(.GET, primaryPath + "/backups?limit=\(bad)")
        #expect(reply.status == 400, "limit=\(bad): \(reply.text)")
      }
      #expect(try await harness.send(.GET, primaryPath + "/backups?cursor=nonsense").status == 400)

      #expect(
        try await harness.psql(primary, password: password, "create table t (v text); insert into t values ('before')").succeeded)

      let replicaReply = try await harness.send(
        .POST, primaryPath + "/readReplica", body: #"{"name": "reader", "tags": [{"key": "role", "value": "ro"}]}"#)
      #expect(replicaReply.status == 200, "\(replicaReply.text)")
      let answer = try #require(replicaReply.json?["result"])
      let replicaID = try #require(answer["id"]?.stringValue)
      #expect(answer["state"]?.stringValue == "restoring_backup")
      #expect(answer["isPrimary"]?.boolValue == false)
      for field in ["provider", "region", "postgresVersion", "size", "storageSize"] {
        #expect(answer[field]?.description == created[field]?.description, "\(field) is inherited")
      }
      let (replica, seen) = try await harness.states(until: "running", replicaID)
      #expect(seen.allSatisfy { ["restoring_backup", "replaying_wal", "running"].contains($0) }, "\(seen)")
      #expect(replica["hostname"]?.stringValue != primary["hostname"]?.stringValue)

      // It serves the primary's data with the primary's password, follows new writes, refuses its own.
      try await eventually(harness, replica, password: password, "select string_agg(v, ',' order by v) from t", equals: "before")
      #expect(try await harness.psql(primary, password: password, "insert into t values ('streamed')").succeeded)
      try await eventually(
        harness, replica, password: password, "select string_agg(v, ',' order by v) from t", equals: "before,streamed")
      let write = try await harness.psql(replica, password: password, "insert into t values ('on the replica')")
      #expect(!write.succeeded)
      #expect(write.output.contains("read-only"), "\(write.output)")

      // A replica takes no changes of its own; a primary with replicas stays.
      let patch = try await harness.send(.PATCH, harness.postgresPath + "/" + replicaID, body: #"{"name": "renamed"}"#)
      #expect(patch.status == 400)
      #expect(
        patch.json?["error"]?.stringValue
          == "BAD_REQUEST: Read replicas cannot be modified directly! Please modify the parent database instead.")
      let deletion = try await harness.send(.DELETE, primaryPath)
      #expect(deletion.status == 409, "\(deletion.text)")
      #expect(deletion.json?["error"]?.stringValue?.hasPrefix("CONFLICT: ") == true)
      #expect(deletion.json?["error"]?.stringValue?.contains(replicaID) == true, "\(deletion.text)")
      #expect(try await harness.send(.GET, primaryPath).json?["result"]?["state"]?.stringValue == "running")

      // Without a standby there is nothing to switch over to; a primary cannot be promoted.
      let switchover = try await harness.send(.PATCH, primaryPath + "/state", body: #"{"command": "switchover"}"#)
      #expect(switchover.status == 400, "\(switchover.text)")
      #expect(switchover.json?["error"]?.stringValue?.contains("haType none") == true, "\(switchover.text)")
      #expect(try await harness.send(.PATCH, primaryPath + "/state", body: #"{"command": "promote"}"#).status == 400)

      // Promotion: a writable primary of its own, no longer following.
      let promoted = try await harness.send(
        .PATCH, harness.postgresPath + "/\(replicaID)/state", body: #"{"command": "promote"}"#)
      #expect(promoted.status == 200, "\(promoted.text)")
      #expect(promoted.json?["result"]?["state"]?.stringValue == "restarting")
      let independent = try await harness.wait(for: "running", replicaID)
      #expect(independent["isPrimary"]?.boolValue == true)
      let ownWrite = try await harness.psql(
        independent, password: password, "insert into t values ('own'); select count(*) from t")
      #expect(ownWrite.succeeded, "\(ownWrite.output)")
      #expect(ownWrite.output == "3", "\(ownWrite.output)")
      #expect(try await harness.psql(primary, password: password, "select count(*) from t").output == "2")

      // No longer a replica: the primary can go, and so can the promoted one.
      #expect(try await harness.send(.DELETE, primaryPath).status == 200)
      #expect(try await harness.send(.DELETE, harness.postgresPath + "/" + replicaID).status == 200)
    }
  }
}
