import FileIO
import Glibc
import Logging
import Subprocess
import SystemPackage

/// One emulated service's PostgreSQL cluster.
///
/// Layout of `directory` (0700, owned by the cluster user):
/// - `data/`: the data directory, copied from a `ClusterTemplate`. mpg's `mpg-cluster.conf` in it holds
///   the listen address, port, socket directory and TLS files; `server.crt`/`server.key` the certificate.
/// - `socket/`: the unix socket directory, private to the cluster user (moved to `/tmp/mpg-HASH` when the
///   path would exceed the 107-byte limit of socket paths).
/// - `postgres.log`: what the server prints before its logging collector takes over (and if it fails);
///   the server's own log rotates inside the data directory (see `Cluster+Logs.swift`).
///
/// `start()` runs `postgres -D data` directly in a session of its own, so a Ctrl-C to the emulator does not
/// reach it, and polls `postmaster.pid` every 10 ms until it says "ready". A postmaster outlives an emulator
/// killed with SIGKILL; `ClusterReaper` stops such leftovers, and `start()` accepts a cluster whose
/// postmaster is already running.
///
/// Administrative SQL goes to `psql` on its standard input over the unix socket; no password or other
/// secret is ever put in a program's arguments or in a log.
public actor Cluster {
  /// The directory holding the cluster (data directory, socket directory, log).
  public nonisolated let directory: String
  /// The installation running the cluster (its major matches the data directory).
  public nonisolated let installation: PostgresInstallation
  /// The user the cluster runs as.
  public nonisolated let user: ClusterUser
  /// Where the cluster listens for TCP connections.
  public nonisolated let endpoint: ListenEndpoint
  /// The directory of the cluster's unix socket.
  public nonisolated let socketDirectory: String

  /// The PostgreSQL data directory.
  public nonisolated var dataDirectory: String { "\(directory)/data" }
  /// The server's output before its logging collector starts (`logDirectory` holds the rest).
  public nonisolated var logFile: String { "\(directory)/postgres.log" }

  /// How long `start()` waits for "ready" before giving up.
  public static let startTimeout = Duration.seconds(60)

  /// What `applySettings(_:)` did.
  public struct SettingsChange: Sendable, Equatable {
    /// The parameters written with ALTER SYSTEM and reloaded, as given.
    public let applied: [String: String]
    /// The applied parameters that take effect only after a restart (`pg_settings.context = 'postmaster'`),
    /// sorted.
    public let needsRestart: [String]
  }

  private let logger: Logger
  /// The postmaster this actor spawned, while its Subprocess task runs.
  private var child: SpawnedPostmaster?
  private var spawnCount = 0

  private struct SpawnedPostmaster {
    let generation: Int
    var pid: pid_t?
    var exitDescription: String?
  }

  init(
    directory: String, installation: PostgresInstallation, user: ClusterUser, endpoint: ListenEndpoint,
    socketDirectory: String, logger: Logger
  ) {
    self.directory = directory
    self.installation = installation
    self.user = user
    self.endpoint = endpoint
    self.socketDirectory = socketDirectory
    var logger = logger
    logger[metadataKey: "cluster"] = "\(directory)"
    self.logger = logger
  }

  // MARK: - Creating and opening

  /// Makes a new, stopped cluster in `directory` by copying `template`'s data directory and writing the
  /// cluster's address, socket and TLS settings. `directory` must not hold anything but an earlier
  /// attempt's leftovers (which are removed), and must be reachable by the template's user.
  public static func create(
    from template: ClusterTemplate,
    at directory: String,
    endpoint: ListenEndpoint,
    certificate: ServerCertificate,
    logger: Logger = Logger(label: "mpg.postgres")
  ) async throws(ClusterError) -> Cluster {
    let directory = FileSystem.absolute(directory)
    let user = template.user
    guard user.canReach(directory) else { throw .unreachableDirectory(path: directory, user: user.name) }
    try clearLeftovers(in: directory)
    try ClusterFiles.makeDirectory(directory, mode: 0o700, owner: user)
    let cluster = Cluster(
      directory: directory, installation: template.installation, user: user, endpoint: endpoint,
      socketDirectory: socketDirectory(for: directory), logger: logger)
    try await template.copyDataDirectory(to: cluster.dataDirectory)
    try certificate.write(toDataDirectory: cluster.dataDirectory, owner: user)
    try cluster.writeClusterConfiguration()
    return cluster
  }

  /// Opens an existing cluster (after an emulator restart): reads its address from `mpg-cluster.conf` and
  /// picks the installation of exactly the data directory's major, made reachable for `user`.
  public static func open(
    at directory: String,
    installations: PostgresInstallations,
    user: ClusterUser,
    logger: Logger = Logger(label: "mpg.postgres")
  ) async throws(ClusterError) -> Cluster {
    let directory = FileSystem.absolute(directory)
    let data = "\(directory)/data"
    guard let configuration = try? ClusterFiles.readFile("\(data)/\(ConfigurationFile.clusterFile)"),
      let versionText = try? ClusterFiles.readFile("\(data)/PG_VERSION")
    else { throw .notACluster(path: directory) }
    let settings = ConfigurationFile.parse(configuration)
    guard let host = settings["listen_addresses"], let port = settings["port"].flatMap({ Int($0) }),
      let socketDirectory = settings["unix_socket_directories"], let major = Int(versionText.trimmingCharacters(in: "\n"))
    else { throw .notACluster(path: directory) }
    guard let installation = installations.installation(exactMajor: major) else {
      throw .majorNotInstalled(major: major, installed: installations.majors)
    }
    return Cluster(
      directory: directory, installation: try await installation.reachable(by: user, logger: logger), user: user,
      endpoint: ListenEndpoint(host: host, port: port), socketDirectory: socketDirectory, logger: logger)
  }

  /// The socket directory for a cluster directory: inside it when the socket path fits the kernel's limit.
  static func socketDirectory(for directory: String) -> String {
    let inside = "\(directory)/socket"
    // sun_path holds 108 bytes including the NUL; PostgreSQL adds "/.s.PGSQL.NNNNN" (and ".lock").
    return (inside + "/.s.PGSQL.65535.lock").utf8.count < 108 ? inside : "/tmp/mpg-\(StableHash.hex(directory))"
  }

  /// The socket directory of the cluster in `clusterDirectory` when it lies outside that directory (a path
  /// too long for a socket moves it under /tmp), so `reset` can delete it with the cluster; else nil.
  public static func socketDirectoryOutside(clusterDirectory: String) -> String? {
    guard let text = try? ClusterFiles.readFile("\(clusterDirectory)/data/\(ConfigurationFile.clusterFile)"),
      let socketDirectory = ConfigurationFile.parse(text)["unix_socket_directories"],
      !socketDirectory.hasPrefix(clusterDirectory + "/")
    else { return nil }
    return socketDirectory
  }

  /// Removes what an interrupted `create` may have left; refuses a directory holding anything else.
  static func clearLeftovers(in directory: String) throws(ClusterError) {
    guard FileSystem.exists(directory) else { return }
    let ours: Set<String> = ["data", "socket", "postgres.log", "archive", "backups"]
    let entries = FileSystem.entries(directory)
    guard entries.allSatisfy({ ours.contains($0) }) else {
      throw .fileSystem(operation: "create a cluster in the non-empty directory", path: directory, errno: EEXIST)
    }
    if ProcessTable.livePostmaster(dataDirectory: "\(directory)/data") != nil {
      throw .fileSystem(operation: "create a cluster over the running cluster", path: directory, errno: EBUSY)
    }
    for entry in entries { try ClusterFiles.removeTree("\(directory)/\(entry)") }
  }

  nonisolated func writeClusterConfiguration() throws(ClusterError) {
    let text = """
      # Written by mpg for this cluster. ALTER SYSTEM settings (postgresql.auto.conf) override these.
      listen_addresses = \(try ConfigurationFile.quote(endpoint.host))
      port = \(endpoint.port)
      unix_socket_directories = \(try ConfigurationFile.quote(socketDirectory))
      ssl = on
      ssl_cert_file = '\(ServerCertificate.certificateFile)'
      ssl_key_file = '\(ServerCertificate.privateKeyFile)'
      \(Self.archiveSettings)
      \(Self.logSettings)
      """
    try ClusterFiles.writeFile("\(dataDirectory)/\(ConfigurationFile.clusterFile)", text, mode: 0o600, owner: user)
  }

  // MARK: - Running

  /// The running postmaster's process id, or nil when the cluster is stopped.
  public var processID: Int32? {
    // Our own child counts from its spawn (before postmaster.pid exists) until it exits; a zombie whose
    // exit the Subprocess task has not reported yet counts as exited.
    if let child, let pid = child.pid, child.exitDescription == nil, ProcessTable.isAlive(pid) { return pid }
    return ProcessTable.livePostmaster(dataDirectory: dataDirectory)
  }

  /// Whether a postmaster is running for this cluster (started by this actor or left by an earlier run).
  public var isRunning: Bool { processID != nil }

  /// Starts the server and returns once it accepts connections. Does nothing when it already runs.
  public func start() async throws(ClusterError) {
    if isRunning { return }
    let clock = ContinuousClock()
    let started = clock.now
    try prepareToStart()
    let generation = try spawnPostmaster()
    let deadline = started + Self.startTimeout
    while true {
      guard let current = child, current.generation == generation else {
        throw .startFailed(reason: "stopped while starting", logTail: "")
      }
      if let exit = current.exitDescription {
        child = nil
        throw .startFailed(reason: "postgres exited (\(exit))", logTail: recentLog())
      }
      if let pid = current.pid, let file = ProcessTable.PostmasterPIDFile.read(dataDirectory: dataDirectory),
        file.pid == pid, file.acceptsConnections
      {
        break
      }
      if clock.now >= deadline || Task.isCancelled {
        // Never leave a server behind that the caller no longer waits for.
        try? await stop()
        let reason = Task.isCancelled ? "cancelled while starting" : "not ready after \(Self.startTimeout)"
        throw .startFailed(reason: reason, logTail: recentLog())
      }
      try? await Task.sleep(for: .milliseconds(10))
    }
    logger.debug("started \(endpoint) in \(started.duration(to: clock.now))")
  }

  /// Stops the server with a fast shutdown (clients disconnected, checkpoint written) and waits until it
  /// has exited; escalates to an immediate shutdown and SIGKILL if it hangs. Does nothing when stopped.
  public func stop() async throws(ClusterError) {
    // A postmaster asked for but not yet spawned (a start cancelled in its first moments) has no pid yet;
    // returning now would let it start after the stop. Wait for its pid, uncancellably.
    if let current = child, current.pid == nil, current.exitDescription == nil {
      await Task { await self.waitUntilSpawned(generation: current.generation) }.value
    }
    guard let pid = processID else {
      child = nil
      return
    }
    let ownGeneration = child?.pid == pid ? child?.generation : nil
    // An unstructured task: a cancelled caller must not cut the wait short and leave a server half-stopped.
    let dataDirectory = FileSystem.realPath(dataDirectory) ?? dataDirectory
    let survivors = await Task {
      let survivors = await ProcessTable.stopPostmasters([pid]) { pid in
        if let ownGeneration { return await self.hasExited(generation: ownGeneration) }
        return !ProcessTable.isAlive(pid)
      }
      // The logging collector exits only once the postmaster has: "stopped" means no process is left.
      await ProcessTable.waitUntilNoProcess(workingIn: dataDirectory, timeout: .seconds(5))
      return survivors
    }.value
    guard survivors.isEmpty else { throw .stopFailed(pid: pid) }
    child = nil
    logger.debug("stopped postmaster \(pid)")
  }

  /// Stops and starts the server (a real restart: postmaster-level settings take effect).
  public func restart() async throws(ClusterError) {
    try await stop()
    try await start()
  }

  /// Stops the server and deletes the cluster's directory (and its socket directory when outside it).
  public func remove() async throws(ClusterError) {
    try await stop()
    try ClusterFiles.removeTree(directory)
    if !socketDirectory.hasPrefix(directory + "/") { try ClusterFiles.removeTree(socketDirectory) }
  }

  private func prepareToStart() throws(ClusterError) {
    // A postmaster.pid left by a crash or SIGKILL would make the readiness check read a stale "ready";
    // livePostmaster already established that no postmaster of this directory is alive.
    if FileSystem.exists("\(dataDirectory)/postmaster.pid") { try ClusterFiles.removeTree("\(dataDirectory)/postmaster.pid") }
    try ClusterFiles.makeDirectory(socketDirectory, mode: 0o700, owner: user)
    try ClusterFiles.makeDirectory(archiveDirectory, mode: 0o700, owner: user)
    pruneLogs()
  }

  /// Spawns `postgres -D data` in a Subprocess task that lives as long as the server.
  private func spawnPostmaster() throws(ClusterError) -> Int {
    let log = Glibc.open(logFile, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
    guard log >= 0 else { throw .fileSystem(operation: "open", path: logFile, errno: errno) }
    if !user.isCurrentUser { fchown(log, user.userID, user.groupID) }
    spawnCount += 1
    let generation = spawnCount
    child = SpawnedPostmaster(generation: generation)
    let (program, arguments) = ChildProcess.switchingIdentity(installation.program("postgres"), ["-D", dataDirectory], to: user)
    let configuration = Configuration(
      executable: .path(FilePath(program)),
      arguments: Arguments(arguments),
      environment: ChildProcess.childEnvironment([:], user: user),
      workingDirectory: FilePath(dataDirectory),
      platformOptions: ChildProcess.platformOptions(for: user, detached: true))
    Task {
      var description: String
      do {
        let result = try await Subprocess.run(
          configuration, input: .none, output: .fileDescriptor(FileDescriptor(rawValue: log), closeAfterSpawningProcess: true),
          error: .combinedWithOutput
        ) { execution in
          self.postmasterSpawned(generation: generation, pid: execution.processIdentifier.value)
        }
        description = "\(result.terminationStatus)"
      } catch {
        description = "\(error)"
      }
      self.postmasterExited(generation: generation, description: description)
    }
    return generation
  }

  private func postmasterSpawned(generation: Int, pid: pid_t) {
    if child?.generation == generation { child?.pid = pid }
  }

  private func postmasterExited(generation: Int, description: String) {
    if child?.generation == generation { child?.exitDescription = description }
  }

  private func waitUntilSpawned(generation: Int) async {
    while let current = child, current.generation == generation, current.pid == nil, current.exitDescription == nil {
      try? await Task.sleep(for: .milliseconds(2))
    }
  }

  private func hasExited(generation: Int) -> Bool {
    guard let child, child.generation == generation else { return true }
    return child.exitDescription != nil
  }

  // MARK: - SQL

  /// Runs SQL as the superuser over the unix socket (psql `-X -A -t -v ON_ERROR_STOP=1`, the SQL on its
  /// standard input) and returns what it printed: unaligned rows, fields separated by `|`, without the
  /// final newline.
  public func execute(sql: String) async throws(ClusterError) -> String {
    let outcome = try await runPSQL(sql)
    guard outcome.succeeded else { throw .sqlFailed(message: ChildProcess.trimmed(outcome.standardError)) }
    var output = outcome.standardOutput
    while output.hasSuffix("\n") { output.removeLast() }
    return output
  }

  /// Sets the `postgres` superuser's password (stored as a SCRAM-SHA-256 verifier).
  ///
  /// The statement reaches the server only through psql's standard input, in a session that first turns
  /// off statement logging and pg_stat_statements tracking, so the password lands in no log or view.
  public func setPassword(_ password: String) async throws(ClusterError) {
    let literal = try SQLQuoting.literal(password)
    let sql = """
      SET log_statement = 'none';
      SET log_min_duration_statement = -1;
      SET log_min_duration_sample = -1;
      SET log_transaction_sample_rate = 0;
      SET log_min_error_statement = 'panic';
      SET pg_stat_statements.track = 'none';
      SET pg_stat_statements.track_utility = off;
      SET password_encryption = 'scram-sha-256';
      ALTER ROLE postgres PASSWORD \(literal);

      """
    let outcome = try await runPSQL(sql)
    guard outcome.succeeded else {
      let message = ChildProcess.trimmed(outcome.standardError)
        .replacingOccurrences(of: literal, with: "'[redacted]'").replacingOccurrences(of: password, with: "[redacted]")
      throw .sqlFailed(message: message)
    }
    logger.debug("set the postgres password")
  }

  /// Writes parameters with `ALTER SYSTEM SET` and reloads the configuration; reports the ones that need
  /// a restart. All names are checked against `pg_settings` first, and if the server rejects a value the
  /// previous `postgresql.auto.conf` is put back, so either every parameter is applied or none is.
  public func applySettings(_ settings: [String: String]) async throws(ClusterError) -> SettingsChange {
    guard !settings.isEmpty else { return SettingsChange(applied: [:], needsRestart: []) }
    let malformed = settings.keys.filter { SQLQuoting.parameterName($0) == nil }.sorted()
    guard malformed.isEmpty else { throw .unknownSettings(malformed) }

    let names = settings.keys.map { $0.lowercased() }
    var list: [String] = []
    for name in names.sorted() { list.append(try SQLQuoting.literal(name)) }
    let rows = try await execute(sql: "SELECT name, context FROM pg_settings WHERE name IN (\(list.joined(separator: ", ")));")
    var contexts: [String: String] = [:]
    for row in rows.split(separator: "\n") {
      let fields = row.split(separator: "|", maxSplits: 1).map(String.init)
      if fields.count == 2 { contexts[fields[0]] = fields[1] }
    }
    let unknown = settings.keys.filter { contexts[$0.lowercased()] == nil }.sorted()
    guard unknown.isEmpty else { throw .unknownSettings(unknown) }

    var statements = ""
    for (name, value) in settings.sorted(by: { $0.key < $1.key }) {
      statements += "ALTER SYSTEM SET \(SQLQuoting.parameterName(name)!) = \(try SQLQuoting.literal(value));\n"
    }
    let autoFile = "\(dataDirectory)/postgresql.auto.conf"
    let previous = try ClusterFiles.readFile(autoFile)
    do {
      _ = try await execute(sql: statements)
    } catch {
      try? ClusterFiles.writeFile(autoFile, previous, mode: 0o600, owner: user)
      throw error
    }
    _ = try await execute(sql: "SELECT pg_reload_conf();")
    let needsRestart = settings.keys.filter { contexts[$0.lowercased()] == "postmaster" }.sorted()
    logger.debug("applied settings \(settings.keys.sorted()); restart needed for \(needsRestart)")
    return SettingsChange(applied: settings, needsRestart: needsRestart)
  }

  /// Replaces the TLS certificate and key; a running server loads them on reload, without a restart.
  public func replaceCertificate(_ certificate: ServerCertificate) async throws(ClusterError) {
    try certificate.write(toDataDirectory: dataDirectory, owner: user)
    if isRunning { _ = try await execute(sql: "SELECT pg_reload_conf();") }
  }

  private func runPSQL(_ sql: String) async throws(ClusterError) -> ChildProcess.Outcome {
    try await ChildProcess.run(
      installation.program("psql"),
      [
        "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-h", socketDirectory, "-p", "\(endpoint.port)",
        "-U", "postgres", "-d", "postgres",
      ],
      as: user, input: sql)
  }
}
