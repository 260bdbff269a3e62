import ArgumentParser
import Builtins
import Emulator
import FileIO
import Interpreter
import JQ
import Outcomes

#if canImport(Glibc)
  import Glibc
#endif

/// `mpg emulator serve|status|reset|gc|postgres`: the local Managed Postgres API.
struct EmulatorCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "mpg emulator",
    abstract: "Run the local emulator of the Managed Postgres API (every service a real PostgreSQL cluster).",
    subcommands: [Serve.self, Status.self, Reset.self, Collect.self, EmulatorPostgresCommand.self]
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

    @Option(help: "Address to listen on.", completion: .list(["127.0.0.1"])) var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one).") var port = 0
    @Option(name: .customLong("data-dir"), help: "Where state, the CA and clusters live.", completion: .directory)
    var dataDirectory = EmulatorCommand.defaultDataDirectory
    @Option(name: .customLong("key-id"), help: "API key id to accept (default: generated and kept).") var keyID: String?
    @Option(name: .customLong("key-secret"), help: "API key secret to accept.") var keySecret: String?
    @Option(name: .customLong("provision-delay"), help: "Extra time before a new or restarted service is running, e.g. 5s.")
    var provisionDelay = "0"
    @Option(name: .customLong("transition-duration"), help: "How long a size or haType change stays in restarting, e.g. 3s.")
    var transitionDuration = "3s"
    @Option(
      name: .customLong("backup-delay"), help: "How long after a primary first runs its first base backup is taken, e.g. 1s.")
    var backupDelay = "5s"
    @Option(name: .customLong("backup-interval"), help: "Time between later base backups, e.g. 1h (live: daily).")
    var backupInterval = "1d"
    @Option(
      name: .customLong("rate-limit"), help: "`off`, or N/SECONDS (the cloud's is 10/10).", completion: .list(["off", "10/10"]))
    var rateLimit = "off"
    @Option(
      help: "Share of requests (0–1) that fail on purpose (500, 503, 429, reset, slow, and after the effect: lost, slow-effect).")
    var faults = 0.0
    @Option(
      name: .customLong("fault-kinds"), help: "Only these faults, comma-separated (default: all).",
      completion: .list(EmulatorConfiguration.faultKindNames)) var faultKinds = ""
    @Option(help: "Seed for --faults, so failures repeat.") var seed: UInt64 = 1

    func validate() throws {
      guard DurationText.seconds(provisionDelay) != nil else {
        throw ValidationError("--provision-delay takes a duration such as 2s or 500ms")
      }
      guard DurationText.seconds(transitionDuration) != nil else {
        throw ValidationError("--transition-duration takes a duration such as 3s")
      }
      guard DurationText.seconds(backupDelay) != nil else { throw ValidationError("--backup-delay takes a duration such as 5s") }
      guard let interval = DurationText.seconds(backupInterval), interval >= 1 else {
        throw ValidationError("--backup-interval takes a duration of at least 1s, such as 1h")
      }
      guard rateLimit == "off" || Self.parseRate(rateLimit) != nil else {
        throw ValidationError("--rate-limit takes `off` or N/SECONDS, e.g. 10/10")
      }
      guard (0...1).contains(faults) else { throw ValidationError("--faults takes a share between 0 and 1") }
      for kind in faultKinds.split(separator: ",") where EmulatorConfiguration.faultKindNames.firstIndex(of: String(kind)) == nil
      {
        throw ValidationError(
          "--fault-kinds takes \(EmulatorConfiguration.faultKindNames.joined(separator: ", ")), not `\(kind)`")
      }
      guard (keyID == nil) == (keySecret == nil) else { throw ValidationError("--key-id and --key-secret go together") }
    }

    static func parseRate(_ text: String) -> (Int, Double)? {
      let parts = text.split(separator: "/")
      guard parts.count == 2, let count = Int(parts[0]), count > 0, let seconds = DurationText.seconds(String(parts[1])),
        seconds > 0
      else { return nil }
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
      } catch let error as EmulatorError where error.ownerProcessID != nil {
        TextStream.standardError.write("mpg: error: \(error); use it with `mpg --local`, or stop it first\n")
        TextStream.standardError.flush()
        throw ExitCode(ExitStatus.runtimeError)
      } catch {
        TextStream.standardError.write("mpg: error: \(error)\n")
        TextStream.standardError.flush()
        throw ExitCode(ExitStatus.runtimeError)
      }
      TextStream.standardOutput.writeLine(emulator.serverFile.json(dataDirectory: dataDirectory), options: .pretty)
      TextStream.standardOutput.flush()
      if host != "127.0.0.1" && host != "localhost" && !host.hasPrefix("127.") {
        TextStream.standardError.write(
          "mpg: warning: serving on \(host) over plain HTTP: the API key travels in clear to anyone on that network; use 127.0.0.1 unless you mean it\n"
        )
        TextStream.standardError.flush()
      }
      await ShutdownSignal.wait()
      await emulator.stop()
    }
  }

  /// `mpg emulator status`.
  struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Say whether an emulator is serving from the data directory.")

    @Option(name: .customLong("data-dir"), help: "The emulator's data directory.", completion: .directory) var dataDirectory =
      EmulatorCommand.defaultDataDirectory

    func run() async throws {
      switch EmulatorPresence.of(dataDirectory) {
      case .serving(let server):
        let shown = JSONValue(
          object: (server.json(dataDirectory: dataDirectory).objectMembers ?? []).filter { $0.key != "keySecret" }
            + [("sessions", JSONValue(AttachedSessions.live(dataDirectory).count))])
        TextStream.standardOutput.writeLine(shown, options: .pretty)
        TextStream.standardOutput.flush()
      case .starting(let pid):
        print("an emulator (pid \(pid)) is starting in \(dataDirectory)")
      case .gone(let pid):
        print(
          "the emulator that served from \(dataDirectory) (pid \(pid)) is no longer running; its services start again with the next `mpg emulator serve` or `mpg --local`"
        )
        throw ExitCode(ExitStatus.runtimeError)
      case .absent:
        print("no emulator is serving from \(dataDirectory)")
        throw ExitCode(ExitStatus.runtimeError)
      }
    }
  }

  /// `mpg emulator gc`.
  struct Collect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "gc",
      abstract: "Reclaim what emulators that are gone left behind (every start does this too).",
      discussion: """
        Removes cluster directories kept under /var/lib/mpg for data directories that no longer exist \
        (stopping any server still running there) and half-made copies left by killed runs. Directories \
        made by older versions of mpg do not name their data directory; they are listed and kept unless \
        --unowned is given.
        """)

    @Flag(help: "Also remove cluster directories that name no data directory and run no server.") var unowned = false

    func run() async throws {
      let report = await OrphanCollector.collect(includingUnowned: unowned)
      for path in report.removed { print("removed \(path)") }
      print("reclaimed \(report.removed.count) item(s), \(report.bytes / 1_048_576) MB")
      if !report.unowned.isEmpty {
        print("kept \(report.unowned.count) directory(ies) that name no data directory (remove them with --unowned):")
        for path in report.unowned { print("  \(path)") }
      }
    }
  }

  /// `mpg emulator reset`.
  struct Reset: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Stop every cluster and delete the emulator's data directory.")

    @Option(name: .customLong("data-dir"), help: "The emulator's data directory.", completion: .directory) var dataDirectory =
      EmulatorCommand.defaultDataDirectory

    func run() async throws {
      do {
        try await LocalEmulator.reset(dataDirectory: dataDirectory)
      } catch {
        TextStream.standardError.write("mpg: error: \(error)\n")
        TextStream.standardError.flush()
        throw ExitCode(ExitStatus.runtimeError)
      }
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
