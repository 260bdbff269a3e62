import ArgumentParser
import Builtins
import Emulator
import FileIO
import Interpreter
import JQ

#if canImport(Glibc)
  import Glibc
#endif

/// `mpg emulator serve|status|reset`: the local Managed Postgres API.
struct EmulatorCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "mpg emulator",
    abstract: "Run the local emulator of the Managed Postgres API (every service a real PostgreSQL cluster).",
    subcommands: [Serve.self, Status.self, Reset.self]
  )

  /// Where the emulator keeps its state unless `--data-dir` says otherwise.
  static var defaultDataDirectory: String {
    if let xdg = getenv("XDG_DATA_HOME").map({ String(cString: $0) }), !xdg.isEmpty { return xdg + "/mpg/emulator" }
    let home = getenv("HOME").map { String(cString: $0) } ?? "/tmp"
    return home + "/.local/share/mpg/emulator"
  }

  /// `mpg emulator serve`.
  struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start the emulator and serve until interrupted.")

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one).") var port = 0
    @Option(name: .customLong("data-dir"), help: "Where state, the CA and clusters live.") var dataDirectory = EmulatorCommand.defaultDataDirectory
    @Option(name: .customLong("key-id"), help: "API key id to accept (default: generated and kept).") var keyID: String?
    @Option(name: .customLong("key-secret"), help: "API key secret to accept.") var keySecret: String?
    @Option(name: .customLong("provision-delay"), help: "Extra time before a new service is running, e.g. 5s.") var provisionDelay = "0"
    @Option(name: .customLong("transition-duration"), help: "How long a size or haType change stays in restarting, e.g. 3s.") var transitionDuration = "3s"
    @Option(name: .customLong("backup-delay"), help: "How long after a primary first runs its first base backup is taken, e.g. 1s.") var backupDelay = "5s"
    @Option(name: .customLong("backup-interval"), help: "Time between later base backups, e.g. 1h (live: daily).") var backupInterval = "1d"
    @Option(name: .customLong("rate-limit"), help: "`off`, or N/SECONDS (live: 10/10).") var rateLimit = "10/10"
    @Option(help: "Share of requests (0–1) that fail on purpose (500, 503, 429, reset, slow, and after the effect: lost, slow-effect).") var faults = 0.0
    @Option(name: .customLong("fault-kinds"), help: "Only these faults, comma-separated (default: all).") var faultKinds = ""
    @Option(help: "Seed for --faults, so failures repeat.") var seed: UInt64 = 1

    func validate() throws {
      guard DurationText.seconds(provisionDelay) != nil else { throw ValidationError("--provision-delay takes a duration such as 2s or 500ms") }
      guard DurationText.seconds(transitionDuration) != nil else { throw ValidationError("--transition-duration takes a duration such as 3s") }
      guard DurationText.seconds(backupDelay) != nil else { throw ValidationError("--backup-delay takes a duration such as 5s") }
      guard let interval = DurationText.seconds(backupInterval), interval >= 1 else {
        throw ValidationError("--backup-interval takes a duration of at least 1s, such as 1h")
      }
      guard rateLimit == "off" || Self.parseRate(rateLimit) != nil else { throw ValidationError("--rate-limit takes `off` or N/SECONDS, e.g. 10/10") }
      guard (0...1).contains(faults) else { throw ValidationError("--faults takes a share between 0 and 1") }
      for kind in faultKinds.split(separator: ",") where EmulatorConfiguration.faultKindNames.firstIndex(of: String(kind)) == nil {
        throw ValidationError("--fault-kinds takes \(EmulatorConfiguration.faultKindNames.joined(separator: ", ")), not `\(kind)`")
      }
      guard (keyID == nil) == (keySecret == nil) else { throw ValidationError("--key-id and --key-secret go together") }
    }

    static func parseRate(_ text: String) -> (Int, Double)? {
      let parts = text.split(separator: "/")
      guard parts.count == 2, let count = Int(parts[0]), count > 0, let seconds = DurationText.seconds(String(parts[1])), seconds > 0 else { return nil }
      return (count, seconds)
    }

    func run() async throws {
      var configuration = EmulatorConfiguration(
        host: host, port: port, dataDirectory: dataDirectory, keyID: keyID, keySecret: keySecret,
        provisionDelay: DurationText.seconds(provisionDelay) ?? 0,
        transitionDuration: DurationText.seconds(transitionDuration) ?? 3,
        rateLimit: rateLimit == "off" ? nil : Self.parseRate(rateLimit).map { (requests: $0.0, seconds: $0.1) },
        faultRate: faults, faultSeed: seed,
        backupDelay: DurationText.seconds(backupDelay) ?? 5,
        backupInterval: DurationText.seconds(backupInterval) ?? 86400
      )
      configuration.faultKinds = faultKinds.split(separator: ",").map(String.init)
      let emulator: LocalEmulator
      do {
        emulator = try await LocalEmulator.start(configuration)
      } catch {
        TextStream.standardError.write("mpg: error: \(error)\n")
        TextStream.standardError.flush()
        throw ExitCode(ExitStatus.runtimeError)
      }
      let ready = JSONValue(object: [
        ("url", JSONValue(emulator.baseURL)), ("organizationId", JSONValue(emulator.organizationID)),
        ("keyId", JSONValue(emulator.keyID)), ("keySecret", JSONValue(emulator.keySecret)),
        ("dataDir", JSONValue(dataDirectory)),
      ])
      TextStream.standardOutput.writeLine(ready, options: .pretty)
      TextStream.standardOutput.flush()
      try? FileText.writeAtomically(ready.dumped(.compact) + "\n", to: dataDirectory + "/server.json", mode: 0o600, exactMode: true)
      await ShutdownSignal.wait()
      unlink(dataDirectory + "/server.json")
      await emulator.stop()
    }
  }

  /// `mpg emulator status`.
  struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Say whether an emulator is serving from the data directory.")

    @Option(name: .customLong("data-dir"), help: "The emulator's data directory.") var dataDirectory = EmulatorCommand.defaultDataDirectory

    func run() async throws {
      guard let text = try? FileText.read(dataDirectory + "/server.json"), let server = try? JSONValue(parsing: text) else {
        print("no emulator is serving from \(dataDirectory)")
        throw ExitCode(ExitStatus.runtimeError)
      }
      let redacted = JSONValue(object: (server.objectMembers ?? []).filter { $0.key != "keySecret" })
      TextStream.standardOutput.writeLine(redacted, options: .pretty)
      TextStream.standardOutput.flush()
    }
  }

  /// `mpg emulator reset`.
  struct Reset: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Stop every cluster and delete the emulator's data directory.")

    @Option(name: .customLong("data-dir"), help: "The emulator's data directory.") var dataDirectory = EmulatorCommand.defaultDataDirectory

    func run() async throws {
      try await LocalEmulator.reset(dataDirectory: dataDirectory)
      print("reset \(dataDirectory)")
    }
  }
}

/// Waits for SIGINT or SIGTERM (the emulator's way to stop cleanly).
enum ShutdownSignal {
  static func wait() async {
    let (stream, continuation) = AsyncStream<Void>.makeStream()
    let watcher = SignalWatcher(signals: [SIGINT, SIGTERM]) { continuation.yield() }
    for await _ in stream { break }
    withExtendedLifetime(watcher) {}
  }
}
