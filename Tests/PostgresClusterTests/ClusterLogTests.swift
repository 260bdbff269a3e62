import Testing

@testable import PostgresCluster

/// The server log goes through PostgreSQL's logging collector, rotates by size, and `pruneLogs()` keeps
/// only the newest files.
@Suite("Cluster logs")
struct ClusterLogTests {
  @Test func logsRotateAndArePruned() async throws {
    try await TestFixture.shared.withCluster(major: 18, name: "logs") { cluster in
      try await cluster.start()
      #expect(try await cluster.execute(sql: "show logging_collector") == "on")
      #expect(try await cluster.execute(sql: "show log_rotation_size") == Cluster.logRotationSize)
      let current = try #require(cluster.logFiles.last)

      // Older files, as rotations over the days would leave them; names sort by time.
      let user = try await TestFixture.shared.user()
      for day in 1...6 {
        try ClusterFiles.writeFile(
          "\(cluster.logDirectory)/postgresql-2000010\(day)-000000.json", "old\n", mode: 0o600, owner: user)
      }
      #expect(cluster.logFiles.count == 7)
      cluster.pruneLogs()
      #expect(cluster.logFiles.count == Cluster.keptLogFiles)
      #expect(cluster.logFiles.last == current, "the file in use is kept")

      // A rotation asked for now starts a new file, and the server keeps logging.
      _ = try await cluster.execute(sql: "select pg_rotate_logfile()")
      try await cluster.stop()
    }
  }
}
