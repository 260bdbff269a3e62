import Foundation
import MPGTestSupport

/// A home of its own for `mpg --local` and `mpg emulator serve` runs (their data directory inside it),
/// and a view of the processes working for it.
/// Whatever a test leaves running there is killed by pid when it ends.
struct LocalTwinFixture: Sendable {
  let base: URL

  var home: URL { base.appendingPathComponent("home") }
  /// The data directory `mpg --local` uses with this home.
  var dataDirectory: String { home.appendingPathComponent("data/mpg/emulator").path }

  static func with(_ body: (LocalTwinFixture) async throws -> Void) async throws {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("mpg-twin-\(UUID().uuidString)")
    let fixture = LocalTwinFixture(base: base)
    try FileManager.default.createDirectory(at: fixture.home, withIntermediateDirectories: true)
    defer {
      for pid in fixture.processesWorkingHere() { kill(pid, SIGKILL) }
      _ = try? MPGProcess.run(["emulator", "reset", "--data-dir", fixture.dataDirectory])
      try? FileManager.default.removeItem(at: base)
    }
    try await body(fixture)
  }

  /// mpg's environment here: private XDG folders, no API key from the test's environment.
  var environment: [String: String] {
    [
      "HOME": home.path,
      "XDG_STATE_HOME": home.appendingPathComponent("state").path,
      "XDG_CONFIG_HOME": home.appendingPathComponent("config").path,
      "XDG_DATA_HOME": home.appendingPathComponent("data").path,
      "CLICKHOUSE_CLOUD_API_KEY": "", "CLICKHOUSE_CLOUD_API_SECRET": "", "CLICKHOUSE_CLOUD_ORG_ID": "",
      "CLICKHOUSE_CLOUD_API_URL": "", "NO_COLOR": "1",
    ]
  }

  /// Runs mpg to its end, off the cooperative pool.
  func run(_ arguments: [String], input: String = "") async throws -> MPGRun {
    let environment = self.environment
    let home = self.home
    return try await withCheckedThrowingContinuation { continuation in
      DispatchQueue.global().async {
        continuation.resume(
          with: Result { try MPGProcess.run(arguments, input: input, directory: home, environment: environment) })
      }
    }
  }

  /// Starts mpg in the background; its standard output goes to `output` (read it with `text(of:)`).
  func start(_ arguments: [String], output: String) throws -> Int32 {
    let process = Process()
    process.executableURL = MPGProcess.executableURL
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    process.currentDirectoryURL = home
    _ = FileManager.default.createFile(atPath: base.appendingPathComponent(output).path, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: base.appendingPathComponent(output))
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    return process.processIdentifier
  }

  func text(of output: String) -> String {
    (try? String(contentsOf: base.appendingPathComponent(output), encoding: .utf8)) ?? ""
  }

  /// Waits until `output` contains `marker` (or `seconds` pass); returns whether it did.
  func waitFor(_ marker: String, in output: String, seconds: Double = 120) async -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if text(of: output).contains(marker) { return true }
      try? await Task.sleep(nanoseconds: 50_000_000)
    }
    return false
  }

  /// Where the clusters of the data directory live: inside it, or (when the cluster user cannot reach
  /// it, as with a 0700 data directory under root) in a root under /var/lib/mpg that names it.
  var clusterRoots: [String] {
    let base = "/var/lib/mpg"
    let outside = ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []).map { base + "/" + $0 }.filter {
      (try? String(contentsOfFile: $0 + "/owner", encoding: .utf8)) == dataDirectory + "\n"
    }
    return [dataDirectory] + outside
  }

  /// Live processes that belong to this home's twins: those working under the data directory
  /// (postmasters and their backends), those carrying a guardian mark seen on one of them (initdb,
  /// pg_basebackup), and the guardians of those marks.
  func processesWorkingHere() -> [Int32] {
    let table = ProcessSnapshot.all()
    let roots = clusterRoots
    let here = table.filter { process in
      roots.contains { process.workingDirectory == $0 || process.workingDirectory.hasPrefix($0 + "/") }
    }
    let marks = Set(here.compactMap(\.guardianMark))
    return table.filter { process in
      here.contains { $0.pid == process.pid }
        || process.guardianMark.map(marks.contains) == true
        || (process.commandLine.contains("mpg-guardian") && marks.contains { process.commandLine.hasSuffix($0) })
    }.map(\.pid)
  }
}

/// One look at /proc: live (not zombie) processes with what the fixture needs of them.
struct ProcessSnapshot: Sendable {
  let pid: Int32
  let workingDirectory: String
  let guardianMark: String?
  let commandLine: String

  static func all() -> [ProcessSnapshot] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { entry -> ProcessSnapshot? in
      guard let pid = Int32(entry), pid != getpid(),
        let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
        stat.split(separator: ")").last?.split(separator: " ").first != "Z"
      else { return nil }
      let directory = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/cwd")) ?? ""
      let environment =
        FileManager.default.contents(atPath: "/proc/\(entry)/environ").map { String(decoding: $0, as: UTF8.self) } ?? ""
      let mark = environment.split(separator: "\0").first { $0.hasPrefix("MPG_GUARDIAN=") }.map { String($0.dropFirst(13)) }
      let command =
        FileManager.default.contents(atPath: "/proc/\(entry)/cmdline").map {
          String(decoding: $0, as: UTF8.self).replacingOccurrences(of: "\0", with: " ").trimmingCharacters(in: .whitespaces)
        } ?? ""
      return ProcessSnapshot(pid: pid, workingDirectory: directory, guardianMark: mark, commandLine: command)
    }
  }
}
