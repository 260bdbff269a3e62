import Foundation
import MPGTestSupport
import Testing

/// One owner per data directory: sessions share a twin instead of fighting over it, `status` tells a
/// live twin from a dead one, and `gc` reclaims what owners that are gone left.
@Suite("Twin ownership")
struct TwinOwnershipTests {
  @Test func twoLocalSessionsRunRunbooksTogether() async throws {
    try await LocalTwinFixture.with { twin in
      let marker = twin.base.appendingPathComponent("second-attached.json").path
      // The first (the owner) ends only once the second has attached, however slow a loaded machine
      // makes their starts; the second then runs on, so the owner must wait for it.
      func runbook(_ name: String, pause: Int, waitForMarker: Bool) -> [String] {
        [
          "--local", "--rate-limit", "off", "-c",
          """
          let pg = create name=\(name) provider=aws region=us-east-1 size=r6gd.medium
          wait $pg --every 0.2s --quiet | .state
          sql $pg "select 1 as one" | .[0].one
          \(waitForMarker ? "while true { try { load \"\(marker)\" | .; break } catch e { sleep 0.1 } }" : "")
          sleep \(pause)
          sql $pg "select 2 as two" | .[0].two
          delete $pg --yes
          echo "\(name) done"
          """,
        ]
      }
      async let first = twin.run(runbook("short", pause: 1, waitForMarker: true))
      // The second starts once the first owns a serving twin.
      var deadline = Date().addingTimeInterval(120)
      while !FileManager.default.fileExists(atPath: twin.dataDirectory + "/server.json"), Date() < deadline {
        try await Task.sleep(nanoseconds: 20_000_000)
      }
      async let second = twin.run(runbook("long", pause: 6, waitForMarker: false))
      deadline = Date().addingTimeInterval(120)
      let sessions = twin.dataDirectory + "/sessions"
      while ((try? FileManager.default.contentsOfDirectory(atPath: sessions)) ?? []).isEmpty, Date() < deadline {
        try await Task.sleep(nanoseconds: 20_000_000)
      }
      try "true".write(toFile: marker, atomically: true, encoding: .utf8)
      let (short, long) = try await (first, second)
      #expect(short.status == 0 && short.standardOutput.contains("short done"), "\(short.transcript)")
      #expect(long.status == 0 && long.standardOutput.contains("long done"), "\(long.transcript)")
      // Whichever started the twin waited for the other before stopping it.
      let owner = [short, long].first { $0.standardError.contains("keeps serving 1 other session") }
      #expect(owner != nil, "\(short.transcript)\n\(long.transcript)")
      #expect(twin.processesWorkingHere().isEmpty)
    }
  }

  @Test func statusResetAndServeRespectTheOwner() async throws {
    try await LocalTwinFixture.with { twin in
      let absent = try await twin.run(["emulator", "status"])
      #expect(absent.status == 1 && absent.standardOutput.contains("no emulator is serving"), "\(absent.transcript)")
      let serve = try twin.start(["emulator", "serve", "--data-dir", twin.dataDirectory], output: "serve.out")
      defer { kill(serve, SIGKILL) }
      #expect(await twin.waitFor("keySecret", in: "serve.out"), "\(twin.text(of: "serve.out"))")

      let status = try await twin.run(["emulator", "status"])
      #expect(status.status == 0 && status.standardOutput.contains(#""pid": \#(serve)"#), "\(status.transcript)")
      #expect(!status.standardOutput.contains("keySecret"))

      let reset = try await twin.run(["emulator", "reset"])
      #expect(
        reset.status == 1 && reset.standardError.contains("in use by another emulator (mpg, pid \(serve))"), "\(reset.transcript)"
      )
      #expect(FileManager.default.fileExists(atPath: twin.dataDirectory + "/state.json"), "reset deleted a twin in use")

      let second = try await twin.run(["emulator", "serve", "--data-dir", twin.dataDirectory])
      #expect(second.status == 1 && second.standardError.contains("pid \(serve)"), "\(second.transcript)")

      kill(serve, SIGINT)
      let deadline = Date().addingTimeInterval(60)
      while kill(serve, 0) == 0, Date() < deadline { try await Task.sleep(nanoseconds: 100_000_000) }
      let stopped = try await twin.run(["emulator", "status"])
      #expect(stopped.status == 1 && stopped.standardOutput.contains("no emulator is serving"), "\(stopped.transcript)")
    }
  }

  @Test func gcReclaimsRootsOfDataDirectoriesThatAreGone() async throws {
    try await LocalTwinFixture.with { twin in
      let base = "/var/lib/mpg"
      let tag = UUID().uuidString.prefix(8)
      let orphan = "\(base)/clusters-gc-orphan-\(tag)"
      let unowned = "\(base)/clusters-gc-unowned-\(tag)"
      let kept = "\(base)/clusters-gc-kept-\(tag)"
      defer { for path in [orphan, unowned, kept] { try? FileManager.default.removeItem(atPath: path) } }
      for path in [orphan, unowned, kept] {
        try FileManager.default.createDirectory(atPath: path + "/templates/17", withIntermediateDirectories: true)
        try Data(repeating: 1, count: 1 << 20).write(to: URL(fileURLWithPath: path + "/templates/17/base"))
      }
      try Data("/nonexistent/mpg-data-\(tag)\n".utf8).write(to: URL(fileURLWithPath: orphan + "/owner"))
      try Data("\(twin.home.path)\n".utf8).write(to: URL(fileURLWithPath: kept + "/owner"))

      let gc = try await twin.run(["emulator", "gc"])
      #expect(gc.status == 0, "\(gc.transcript)")
      // Any emulator start (other tests run beside this one) may have reclaimed it first.
      #expect(!FileManager.default.fileExists(atPath: orphan), "\(gc.transcript)")
      #expect(FileManager.default.fileExists(atPath: kept), "a root whose data directory exists was removed")
      #expect(gc.standardOutput.contains(unowned) && FileManager.default.fileExists(atPath: unowned), "\(gc.transcript)")

      let all = try await twin.run(["emulator", "gc", "--unowned"])
      #expect(all.status == 0 && !FileManager.default.fileExists(atPath: unowned), "\(all.transcript)")
      #expect(FileManager.default.fileExists(atPath: kept))
    }
  }

  /// A data directory the cluster user cannot reach keeps its clusters under /var/lib/mpg, in a root
  /// that names it; once the data directory is gone, the next start reclaims that root on its own.
  @Test(.enabled(if: geteuid() == 0, "only root runs clusters as another user"))
  func rootsOutsideTheDataDirectoryFollowIt() async throws {
    try await LocalTwinFixture.with { twin in
      let locked = twin.base.appendingPathComponent("locked")
      try FileManager.default.createDirectory(
        at: locked, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
      let dataDirectory = locked.appendingPathComponent("twin").path
      let made = try await twin.run(["emulator", "reset", "--data-dir", dataDirectory])
      #expect(made.status == 0)
      let serve = try twin.start(["emulator", "serve", "--data-dir", dataDirectory], output: "locked.out")
      #expect(await twin.waitFor("keySecret", in: "locked.out"), "\(twin.text(of: "locked.out"))")
      kill(serve, SIGINT)
      let deadline = Date().addingTimeInterval(60)
      while kill(serve, 0) == 0, Date() < deadline { try await Task.sleep(nanoseconds: 100_000_000) }
      let roots = try FileManager.default.contentsOfDirectory(atPath: "/var/lib/mpg").map { "/var/lib/mpg/" + $0 }
      let root = try #require(
        roots.first { (try? String(contentsOfFile: $0 + "/owner", encoding: .utf8)) == dataDirectory + "\n" })
      try FileManager.default.removeItem(atPath: dataDirectory)

      let gc = try await twin.run(["emulator", "gc"])
      #expect(gc.status == 0)
      #expect(!FileManager.default.fileExists(atPath: root), "\(gc.transcript)")
    }
  }
}
