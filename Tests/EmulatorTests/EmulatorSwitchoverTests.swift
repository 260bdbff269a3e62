import Foundation
import JQ
import Testing

/// Switchover of a high-availability service over HTTP on real clusters: it hands over to a standby that
/// caught up with it (a new timeline), stays at the same address with every committed row, and takes
/// writes again.
@Suite("Emulator switchover", .serialized)
struct EmulatorSwitchoverTests {
  @Test func switchoverHandsOverToACaughtUpStandby() async throws {
    try await EmulatorHarness.with(backupDelay: 0.5) { harness in
      let body = #"{"name": "ha", "provider": "aws", "region": "us-east-1", "size": "r8gd.large", "haType": "async"}"#
      let created = try #require(try await harness.send(.POST, harness.postgresPath, body: body).json?["result"])
      let id = try #require(created["id"]?.stringValue)
      let password = try #require(created["password"]?.stringValue)
      let before = try await harness.wait(for: "running", id)
      _ = try await harness.waitForBackup(id)
      // Rows after the backup reach the standby by streaming, the last one with the primary's final WAL.
      #expect(
        try await harness.psql(
          before, password: password, "create table t (v int); insert into t select generate_series(1, 1000)"
        ).succeeded)
      let timeline = try await harness.psql(before, password: password, "select timeline_id from pg_control_checkpoint()").output

      let reply = try await harness.send(.PATCH, harness.postgresPath + "/\(id)/state", body: #"{"command": "switchover"}"#)
      #expect(reply.status == 200, "\(reply.text)")
      #expect(reply.json?["result"]?["state"]?.stringValue == "restarting")
      let after = try await harness.wait(for: "running", id, seconds: 120)
      #expect(after["hostname"]?.stringValue == before["hostname"]?.stringValue, "the same address")
      #expect(try await harness.psql(after, password: password, "select count(*) from t").output == "1000")
      #expect(
        try await harness.psql(after, password: password, "checkpoint; select timeline_id from pg_control_checkpoint()").output
          != timeline, "a promoted standby serves it")
      #expect(
        try await harness.psql(after, password: password, "insert into t values (1001); select count(*) from t").output == "1001")
    }
  }
}
