import Foundation
import MPGTestSupport
import Testing

/// `kill -9` of the process that owns a twin: nothing of it survives two seconds, the next start serves
/// every service, and nothing is left on disk. In the stress phase: the figures mean something only
/// when nothing else loads the machine.
@Suite("Owner death", .serialized, .stressPhase)
struct OwnerDeathTests {
  @Test func killedLocalSessionMidWaitLeavesNothing() async throws {
    try await LocalTwinFixture.with { twin in
      let script = """
        let a = create name=first provider=aws region=us-east-1 size=r6gd.medium
        wait $a --every 0.2s --quiet
        echo "first running"
        let b = create name=second provider=aws region=us-east-1 size=r6gd.medium
        echo "second creating"
        wait $b --every 5s --quiet
        sleep 600
        """
      let mpg = try twin.start(["--local", "--rate-limit", "off", "-c", script], output: "session.out")
      #expect(await twin.waitFor("second creating", in: "session.out"), "\(twin.text(of: "session.out"))")
      // Mid-create: the second cluster is being made while mpg waits.
      try await Task.sleep(nanoseconds: 200_000_000)
      let before = twin.processesWorkingHere()
      #expect(before.count > 5, "the twin's processes under \(twin.dataDirectory): \(before); \(twin.text(of: "session.out"))")
      kill(mpg, SIGKILL)
      try await Task.sleep(nanoseconds: 2_000_000_000)
      let after = twin.processesWorkingHere()
      #expect(
        after.isEmpty,
        "alive 2 s after kill -9: \(after.map { pid in ProcessSnapshot.all().first { $0.pid == pid }?.commandLine ?? "\(pid)" })")

      let status = try await twin.run(["emulator", "status"])
      #expect(status.status == 1 && status.standardOutput.contains("is no longer running"), "\(status.transcript)")

      // The next start serves both services, the one cut short in `creating` included.
      let next = try await twin.run([
        "--local", "--rate-limit", "off", "-c",
        "let all = list\nfor s in $all[] { let s = wait $s --every 0.2s --quiet }\nlet states = list | map(.state) | join(\",\")\necho \"states: \\($states)\"",
      ])
      #expect(next.status == 0, "\(next.transcript)")
      #expect(next.standardOutput.contains("states: running,running\n"), "\(next.transcript)")
      try await expectNothingLeft(twin)
    }
  }

  @Test func killedServeLeavesNothing() async throws {
    try await LocalTwinFixture.with { twin in
      let serve = try twin.start(
        ["emulator", "serve", "--data-dir", twin.dataDirectory, "--rate-limit", "off"], output: "serve.out")
      #expect(await twin.waitFor("keySecret", in: "serve.out"), "\(twin.text(of: "serve.out"))")
      let made = try await twin.run([
        "--local", "--rate-limit", "off", "-c",
        "for n in [\"one\", \"two\"][] { let s = create name=$n provider=aws region=us-east-1 size=r6gd.medium; wait $s --every 0.2s --quiet }\nlist | length",
      ])
      #expect(made.status == 0 && made.standardOutput.contains("2"), "\(made.transcript)")
      kill(serve, SIGKILL)
      try await Task.sleep(nanoseconds: 2_000_000_000)
      #expect(twin.processesWorkingHere().isEmpty, "alive 2 s after kill -9 of serve")
      let status = try await twin.run(["emulator", "status"])
      #expect(status.status == 1 && status.standardOutput.contains("is no longer running"), "\(status.transcript)")

      let again = try twin.start(
        ["emulator", "serve", "--data-dir", twin.dataDirectory, "--rate-limit", "off"], output: "again.out")
      #expect(await twin.waitFor("keySecret", in: "again.out"), "\(twin.text(of: "again.out"))")
      let served = try await twin.run([
        "--local", "--rate-limit", "off", "-c",
        "let all = list\nfor s in $all[] { let s = wait $s --every 0.2s --quiet }\nlet states = list | map(.state) | join(\",\")\necho \"states: \\($states)\"",
      ])
      #expect(served.status == 0 && served.standardOutput.contains("states: running,running\n"), "\(served.transcript)")
      kill(again, SIGINT)
      let deadline = Date().addingTimeInterval(60)
      while kill(again, 0) == 0, Date() < deadline { try await Task.sleep(nanoseconds: 100_000_000) }
      try await expectNothingLeft(twin)
    }
  }

  /// No process, no staging copy, no server file, no session file and no stale prewarm socket.
  private func expectNothingLeft(_ twin: LocalTwinFixture) async throws {
    let deadline = Date().addingTimeInterval(5)
    while !twin.processesWorkingHere().isEmpty, Date() < deadline { try await Task.sleep(nanoseconds: 100_000_000) }
    #expect(twin.processesWorkingHere().isEmpty)
    let files = FileManager.default.enumerator(atPath: twin.dataDirectory)?.allObjects.compactMap { $0 as? String } ?? []
    let clusterFiles = twin.clusterRoots.flatMap {
      FileManager.default.enumerator(atPath: $0)?.allObjects.compactMap { $0 as? String } ?? []
    }
    #expect(clusterFiles.filter { $0.contains(".staging-") }.isEmpty, "\(clusterFiles.filter { $0.contains(".staging-") })")
    #expect(!files.contains("server.json"))
    #expect(files.filter { $0.hasPrefix("sessions/") }.isEmpty, "\(files.filter { $0.hasPrefix("sessions/") })")
  }
}
