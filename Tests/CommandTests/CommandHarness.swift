import Dispatch
import Emulator
import Foundation
import MPGTestSupport

/// A real emulator (in this test process, real PostgreSQL behind it) and a way to run the real `mpg`
/// binary against it over HTTP, with its own state directory (the vault) and working directory.
struct CommandHarness: Sendable {
  let emulator: LocalEmulator
  let dataDirectory: String
  /// XDG_STATE_HOME and XDG_CONFIG_HOME for mpg, and its working directory.
  let home: URL

  /// Starts an emulator; `body` runs against it; everything is stopped and removed afterwards.
  static func with(
    rateLimit: (requests: Int, seconds: Double)? = nil, faultRate: Double = 0, faultSeed: UInt64 = 7, faultKinds: [String] = [],
    _ body: (CommandHarness) async throws -> Void
  ) async throws {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("mpg-commands-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
    let dataDirectory = base.appendingPathComponent("emulator").path
    let home = base.appendingPathComponent("home")
    try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    var configuration = EmulatorConfiguration(
      dataDirectory: dataDirectory, transitionDuration: 0.5, rateLimit: rateLimit, faultRate: faultRate, faultSeed: faultSeed)
    configuration.faultKinds = faultKinds
    let emulator = try await LocalEmulator.start(configuration)
    let harness = CommandHarness(emulator: emulator, dataDirectory: dataDirectory, home: home)
    do {
      try await body(harness)
    } catch {
      await harness.shutDown(base)
      throw error
    }
    await harness.shutDown(base)
  }

  private func shutDown(_ base: URL) async {
    await emulator.stop()
    try? await LocalEmulator.reset(dataDirectory: dataDirectory)
    try? FileManager.default.removeItem(at: base)
  }

  /// The environment every run gets: private XDG folders, no API key from the test's environment.
  var environment: [String: String] {
    [
      "XDG_STATE_HOME": home.appendingPathComponent("state").path,
      "XDG_CONFIG_HOME": home.appendingPathComponent("config").path,
      "XDG_DATA_HOME": home.appendingPathComponent("data").path,
      "CLICKHOUSE_CLOUD_API_KEY": "", "CLICKHOUSE_CLOUD_API_SECRET": "", "CLICKHOUSE_CLOUD_ORG_ID": "",
    ]
  }

  /// mpg's flags for this emulator: only pacing off (the key comes from the environment, see `keyEnvironment`).
  func connectionArguments() -> [String] {
    ["--rate-limit", "off"]
  }

  /// The official CLI's variables, pointing at this emulator (the key stays out of mpg's argv).
  func keyEnvironment(secret: String? = nil) -> [String: String] {
    [
      "CLICKHOUSE_CLOUD_API_KEY": emulator.keyID, "CLICKHOUSE_CLOUD_API_SECRET": secret ?? emulator.keySecret,
      "CLICKHOUSE_CLOUD_API_URL": emulator.baseURL,
    ]
  }

  /// Runs `mpg -c CODE` against the emulator (off the cooperative thread pool, which the emulator
  /// in this process needs while the child runs).
  func run(_ code: String, extra: [String] = [], secret: String? = nil, input: String = "", environment: [String: String] = [:])
    async throws -> MPGRun
  {
    try await runArguments(
      connectionArguments() + extra + ["-c", code], input: input,
      environment: keyEnvironment(secret: secret).merging(environment) { $1 })
  }

  /// Runs mpg with exactly `arguments`.
  func runArguments(
    _ arguments: [String], input: String = "", environment extra: [String: String] = [:], executable: String? = nil
  ) async throws -> MPGRun {
    let environment = self.environment.merging(extra) { $1 }
    let directory = home
    let program = executable.map { URL(fileURLWithPath: $0) } ?? MPGProcess.executableURL
    return try await withCheckedThrowingContinuation { continuation in
      DispatchQueue.global().async {
        continuation.resume(
          with: Result {
            try MPGProcess.run(executable: program, arguments, input: input, directory: directory, environment: environment)
          })
      }
    }
  }

  /// Every regular file under `url`, recursively.
  static func files(under url: URL) -> [URL] {
    guard let enumerator = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.isRegularFileKey]) else {
      return []
    }
    return enumerator.compactMap { $0 as? URL }.filter {
      (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true
    }
  }
}

extension MPGRun {
  /// Both streams, for failure messages.
  var transcript: String { "exit \(status)\n--- stdout\n\(standardOutput)\n--- stderr\n\(standardError)" }
}
