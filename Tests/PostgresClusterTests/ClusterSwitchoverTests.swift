import Testing

@testable import PostgresCluster

/// The switchover's fallback on real clusters: a standby that never streamed (its primary_conninfo points
/// at a closed port) still reaches the stopped primary's shutdown checkpoint, and every row written after
/// the base backup, from the final WAL segment copied into its pg_wal.
@Suite("Cluster switchover fallback")
struct ClusterSwitchoverTests {
  @Test func standbyReplaysTheCopiedFinalSegment() async throws {
    let certificate = try await TestFixture.shared.serverCertificate()
    try await TestFixture.shared.withCluster(major: 18, name: "final-wal") { primary in
      try await primary.start()
      _ = try await primary.takeBaseBackup(named: "base")
      let closedPort = try ListenEndpoint.choose(preferredHost: "127.0.0.1").port
      let standby = try await Cluster.create(
        fromBackup: "\(primary.backupsDirectory)/base", of: primary, at: TestFixture.clusterDirectory("final-wal-standby"),
        endpoint: try ListenEndpoint.choose(preferredHost: TestFixture.nextAddress()), certificate: certificate,
        recovery: .standby(
          primaryConnection: "host=127.0.0.1 port=\(closedPort) user=nobody connect_timeout=1",
          certificateAuthority: certificate.certificateChainPEM, archive: primary.archiveDirectory))
      do {
        // Written after the backup and never archived: only the primary's current segment holds them.
        _ = try await primary.execute(sql: "create table t (v int); insert into t select generate_series(1, 250);")
        try await standby.start()
        try await standby.wait(until: { (try? await $0.isInRecovery()) == true })
        try await primary.stop()
        let last = try await primary.latestCheckpointLocation()
        #expect(await !standby.hasReplayed(upTo: last), "nothing streamed, so the standby cannot have it yet")

        try await primary.copyFinalWAL(to: standby)
        try await standby.wait(until: { await $0.hasReplayed(upTo: last) }, timeout: .seconds(60))
        try await standby.promote()
        #expect(try await standby.execute(sql: "select count(*) from t") == "250")
        #expect(try await standby.isInRecovery() == false)
      } catch {
        try? await standby.remove()
        throw error
      }
      try await standby.remove()
    }
  }
}
