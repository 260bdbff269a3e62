import Foundation
import JQ
import Testing

/// Point-in-time restore over HTTP on real clusters: a row written before the target is in the restored
/// service and one written after it is not; targets outside the backup window are refused; the source
/// stays as it was.
@Suite("Emulator point-in-time restore", .serialized)
struct EmulatorRestoreTests {
  private static let createBody = #"{"name": "source", "provider": "aws", "region": "us-east-1", "size": "r8gd.large"}"#

  /// An RFC 3339 UTC date-time with milliseconds.
  private static func rfc3339(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: date)
  }

  @Test func restoreKeepsWhatCameBeforeTheTargetOnly() async throws {
    try await EmulatorHarness.with(backupDelay: 0.5) { harness in
      let created = try #require(try await harness.send(.POST, harness.postgresPath, body: Self.createBody).json?["result"])
      let sourceID = try #require(created["id"]?.stringValue)
      let password = try #require(created["password"]?.stringValue)
      let sourcePath = harness.postgresPath + "/" + sourceID
      let source = try await harness.wait(for: "running", sourceID)
      let beforeBackups = Date().addingTimeInterval(-60)

      let noBackups = try await harness.send(
        .POST, sourcePath + "/restoredService", body: #"{"name": "nothing-yet", "restoreTarget": "\#(Self.rfc3339(Date()))"}"#)
      if try await harness.send(.GET, sourcePath + "/backups").json?["result"]?.arrayElements?.isEmpty == true {
        #expect(noBackups.status == 400, "\(noBackups.text)")
      }
      _ = try await harness.waitForBackup(sourceID)

      #expect(try await harness.psql(source, password: password, "create table t (v text); insert into t values ('A')").succeeded)
      try await Task.sleep(nanoseconds: 300_000_000)
      let target = Self.rfc3339(Date())
      try await Task.sleep(nanoseconds: 300_000_000)
      #expect(try await harness.psql(source, password: password, "insert into t values ('B')").succeeded)

      // Outside the window: before the first backup, or in the future.
      for (moment, words) in [
        (beforeBackups, "before the earliest restore time"), (Date().addingTimeInterval(3600), "in the future"),
      ] {
        let body = #"{"name": "outside", "restoreTarget": "\#(Self.rfc3339(moment))"}"#
        let refused = try await harness.send(.POST, sourcePath + "/restoredService", body: body)
        #expect(refused.status == 400, "\(refused.text)")
        #expect(refused.json?["error"]?.stringValue?.contains(words) == true, "\(refused.text)")
      }

      let reply = try await harness.send(
        .POST, sourcePath + "/restoredService", body: #"{"name": "restored", "restoreTarget": "\#(target)"}"#)
      #expect(reply.status == 200, "\(reply.text)")
      let answer = try #require(reply.json?["result"])
      let restoredID = try #require(answer["id"]?.stringValue)
      #expect(answer["state"]?.stringValue == "restoring_backup")
      #expect(answer["size"]?.stringValue == created["size"]?.stringValue)
      let (restored, seen) = try await harness.states(until: "running", restoredID)
      #expect(seen.allSatisfy { ["restoring_backup", "replaying_wal", "finalizing_restore", "running"].contains($0) }, "\(seen)")
      #expect(restored["isPrimary"]?.boolValue == true)

      // The source's password; A but not B; writable.
      let rows = try await harness.psql(restored, password: password, "select string_agg(v, ',' order by v) from t")
      #expect(rows.succeeded, "\(rows.output)")
      #expect(rows.output == "A", "\(rows.output)")
      #expect(try await harness.psql(restored, password: password, "insert into t values ('C')").succeeded)
      #expect(try await harness.psql(source, password: password, "select string_agg(v, ',' order by v) from t").output == "A,B")
      #expect(try await harness.send(.GET, sourcePath).json?["result"]?["state"]?.stringValue == "running")

      #expect(try await harness.send(.DELETE, harness.postgresPath + "/" + restoredID).status == 200)
      #expect(try await harness.send(.DELETE, sourcePath).status == 200)
    }
  }
}
