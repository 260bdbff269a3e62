import FileIO
import Glibc
import Testing

@testable import PostgresCluster

/// Real clusters of each installed major: created from the template, reached over TCP with TLS and
/// channel binding, reconfigured, restarted, stopped and removed. Nothing is left running.
@Suite("Cluster lifecycle")
struct ClusterLifecycleTests {
  static let majors = [15, 18]

  @Test(arguments: majors)
  func lifecycle(major: Int) async throws {
    let user = try await TestFixture.shared.user()
    let directory = try await TestFixture.shared.withCluster(major: major, name: "lifecycle") { cluster in
      #expect(cluster.installation.major == major)
      #expect(await !cluster.isRunning)
      try await cluster.start()
      let pid = try #require(await cluster.processID)
      #expect(FileSystem.status("/proc/\(pid)")?.userID == user.userID)
      // In a session of its own, so a Ctrl-C to the emulator's terminal does not reach it.
      #expect(getsid(pid) == pid && getsid(pid) != getsid(0))

      let first = "Initial-passw0rd"
      try await cluster.setPassword(first)
      let hello = try await psqlOverTLS(cluster, password: first, sql: "select 1")
      #expect(hello.succeeded, "\(hello.standardError)")
      #expect(hello.standardOutput == "1\n")
      let tls = try await psqlOverTLS(cluster, password: first, sql: "select ssl from pg_stat_ssl where pid = pg_backend_pid()")
      #expect(tls.standardOutput == "t\n", "\(tls.standardError)")

      let second = "Second-'passw0rd\\"
      try await cluster.setPassword(second)
      let old = try await psqlOverTLS(cluster, password: first, sql: "select 1")
      #expect(!old.succeeded)
      #expect(old.standardError.contains("password authentication failed"), "\(old.standardError)")
      let new = try await psqlOverTLS(cluster, password: second, sql: "select current_user")
      #expect(new.standardOutput == "postgres\n", "\(new.standardError)")
      for file in [cluster.logFile] + cluster.logFiles {
        #expect(try !ClusterFiles.readFile(file).contains("passw0rd"), "\(file)")
      }

      let change = try await cluster.applySettings(["work_mem": "8MB", "max_connections": "42"])
      #expect(change.applied == ["work_mem": "8MB", "max_connections": "42"])
      #expect(change.needsRestart == ["max_connections"])
      #expect(try await cluster.execute(sql: "show work_mem") == "8MB")
      #expect(try await cluster.execute(sql: "show max_connections") != "42")

      try await cluster.restart()
      #expect(try await cluster.execute(sql: "show max_connections") == "42")
      #expect(await cluster.processID != pid)
      let afterRestart = try await psqlOverTLS(cluster, password: second, sql: "select 2")
      #expect(afterRestart.standardOutput == "2\n", "\(afterRestart.standardError)")

      try await cluster.stop()
      #expect(await !cluster.isRunning)
      try await cluster.stop()  // stopping a stopped cluster is fine
      return cluster.directory
    }
    #expect(!FileSystem.exists(directory))
    #expect(ClusterReaper.leftoverPostmasters(under: directory).isEmpty)
  }

  @Test func rejectedSettingsChangeNothing() async throws {
    try await TestFixture.shared.withCluster(major: 18, name: "settings") { cluster in
      try await cluster.start()
      let autoFile = "\(cluster.dataDirectory)/postgresql.auto.conf"
      let before = try ClusterFiles.readFile(autoFile)

      await #expect(throws: ClusterError.unknownSettings(["no_such_parameter"])) {
        try await cluster.applySettings(["work_mem": "8MB", "no_such_parameter": "1"])
      }
      await #expect(throws: ClusterError.unknownSettings(["work_mem; select 1"])) {
        try await cluster.applySettings(["work_mem; select 1": "1"])
      }
      await #expect(throws: ClusterError.self) {
        try await cluster.applySettings(["work_mem": "8MB", "max_connections": "lots"])
      }
      #expect(try ClusterFiles.readFile(autoFile) == before)
      #expect(try await cluster.execute(sql: "show work_mem") == "4MB")

      // Values are literals, never SQL.
      let hostile = "x'; drop role postgres; --"
      _ = try await cluster.applySettings(["log_line_prefix": hostile])
      #expect(try await cluster.execute(sql: "show log_line_prefix") == hostile)
      #expect(try await cluster.execute(sql: "select count(*) from pg_roles where rolname = 'postgres'") == "1")

      await #expect(throws: ClusterError.self) { try await cluster.execute(sql: "select * from no_such_table") }
      try await cluster.stop()
    }
  }

  /// A cluster opened from disk (as after an emulator restart) sees a running server it did not start,
  /// and ClusterReaper stops servers left under a directory.
  @Test func leftoversAreFoundAndStopped() async throws {
    let fixture = TestFixture.shared
    let root = "\(TestFixture.root)/reaper-\(getpid())"
    let cluster = try await Cluster.create(
      from: try await fixture.template(major: 18), at: "\(root)/a",
      endpoint: try ListenEndpoint.choose(preferredHost: TestFixture.nextAddress()),
      certificate: try await fixture.serverCertificate())
    do {
      try await cluster.start()
      let pid = try #require(await cluster.processID)
      let reopened = try await Cluster.open(
        at: "\(root)/a", installations: await fixture.installations(), user: try await fixture.user())
      #expect(reopened.endpoint == cluster.endpoint)
      #expect(reopened.socketDirectory == cluster.socketDirectory)
      #expect(await reopened.processID == pid)
      try await reopened.start()  // already running: nothing to do
      #expect(try await reopened.execute(sql: "select 7") == "7")

      #expect(ClusterReaper.leftoverPostmasters(under: root) == [pid])
      let report = await ClusterReaper.stopLeftovers(under: root)
      #expect(report == ClusterReaper.Report(stopped: [pid], survivors: []))
      #expect(await !cluster.isRunning)
      #expect(await !reopened.isRunning)

      // A server started by another process (as by an emulator killed with SIGKILL) is found and stopped.
      try await ChildProcess.check(
        cluster.installation.program("pg_ctl"), ["start", "-w", "-D", cluster.dataDirectory, "-l", "/dev/null"],
        as: cluster.user)
      let stray = try #require(await reopened.processID)
      #expect(ClusterReaper.leftoverPostmasters(under: root) == [stray])
      #expect(await ClusterReaper.stopLeftovers(under: root) == ClusterReaper.Report(stopped: [stray], survivors: []))
      #expect(await !reopened.isRunning)

      // The reopened handle can start and stop a server it did not spawn before.
      try await reopened.start()
      try await cluster.stop()
      #expect(await !reopened.isRunning)
      try await reopened.remove()
    } catch {
      await ClusterReaper.stopLeftovers(under: root)
      try? await cluster.remove()
      try? ClusterFiles.removeTree(root)
      throw error
    }
    try ClusterFiles.removeTree(root)
    #expect(ClusterReaper.leftoverPostmasters(under: root).isEmpty)
  }

  /// creating → ready: copy the template, write the cluster's files, start, wait for "ready", set the
  /// password. Printed, not asserted (the target is a p50 of at most 0.3 s).
  @Test(.serialized, arguments: majors)
  func creatingToReadyTime(major: Int) async throws {
    let fixture = TestFixture.shared
    let template = try await fixture.template(major: major)
    let certificate = try await fixture.serverCertificate()
    let clock = ContinuousClock()
    var createTimes: [Duration] = []
    var readyTimes: [Duration] = []
    var startTimes: [Duration] = []
    for index in 0..<10 {
      let begin = clock.now
      let cluster = try await Cluster.create(
        from: template, at: TestFixture.clusterDirectory("timing\(major)-\(index)"),
        endpoint: try ListenEndpoint.choose(preferredHost: TestFixture.nextAddress()), certificate: certificate)
      do {
        let created = clock.now
        try await cluster.start()
        startTimes.append(created.duration(to: clock.now))
        try await cluster.setPassword("Timing-passw0rd")
        let ready = clock.now
        createTimes.append(begin.duration(to: created))
        readyTimes.append(begin.duration(to: ready))
        try await cluster.remove()
      } catch {
        try? await cluster.remove()
        throw error
      }
    }
    func milliseconds(_ duration: Duration) -> String {
      let value = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
      return String(Int(value.rounded())) + " ms"
    }
    let sortedReady = readyTimes.sorted()
    let sortedCreate = createTimes.sorted()
    print(
      "PostgreSQL \(major) creating→ready over \(readyTimes.count) clusters: p50 \(milliseconds(sortedReady[sortedReady.count / 2])), "
        + "p95 \(milliseconds(sortedReady[sortedReady.count * 95 / 100])), max \(milliseconds(sortedReady.last!)); "
        + "of which copy+configure p50 \(milliseconds(sortedCreate[sortedCreate.count / 2])), "
        + "start p50 \(milliseconds(startTimes.sorted()[startTimes.count / 2])); all: \(readyTimes.map(milliseconds))")
  }
}
