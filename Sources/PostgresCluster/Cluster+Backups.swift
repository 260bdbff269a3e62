import FileIO
import Glibc
import Logging

/// WAL archiving, base backups, and clusters made from a base backup: streaming standbys and
/// point-in-time restores.
///
/// Every cluster archives each finished WAL segment into `archive/` beside its data directory (the
/// `archive_command` runs in the data directory, so `../archive` needs no per-cluster path), and
/// `takeBaseBackup(named:)` puts plain-format `pg_basebackup` copies into `backups/NAME`. A new cluster
/// copies one of those backups and then either follows its source as a standby (`standby.signal`,
/// `primary_conninfo`) or replays the source's archive up to a moment and becomes a primary
/// (`recovery.signal`, `recovery_target_time`).
extension Cluster {
  /// How a cluster made from a base backup recovers.
  public enum Recovery: Sendable {
    /// A hot standby streaming from `primaryConnection` (a libpq connection string without TLS
    /// settings) over TLS verified against `certificateAuthority` (PEM), reading segments the primary
    /// no longer keeps from `archive`.
    case standby(primaryConnection: String, certificateAuthority: String, archive: String)
    /// Replays `archive` up to `target` (a timestamp PostgreSQL reads, in UTC), then promotes itself.
    case pointInTime(target: String, archive: String)
  }

  /// Where finished WAL segments are archived.
  public nonisolated var archiveDirectory: String { "\(directory)/archive" }
  /// Where base backups are kept, one directory each.
  public nonisolated var backupsDirectory: String { "\(directory)/backups" }

  /// The lines of `mpg-cluster.conf` that turn archiving on. A copy is made under a temporary name and
  /// renamed, so the archive never holds half a segment.
  static var archiveSettings: String {
    """
    wal_level = replica
    archive_mode = on
    archive_command = 'cp %p ../archive/%f.part && mv -f ../archive/%f.part ../archive/%f'

    """
  }

  /// Takes a base backup (`pg_basebackup`, plain format, with the WAL it needs) into
  /// `backups/NAME` and returns its directory. The copy is made under a temporary name first, so a backup
  /// cut short never looks finished.
  public func takeBaseBackup(named name: String) async throws(ClusterError) -> String {
    try ClusterFiles.makeDirectory(backupsDirectory, mode: 0o700, owner: user)
    let destination = "\(backupsDirectory)/\(name)"
    let partial = "\(destination).partial"
    try ClusterFiles.removeTree(partial)
    do throws(ClusterError) {
      try await ChildProcess.check(
        installation.program("pg_basebackup"),
        [
          "-h", socketDirectory, "-p", "\(endpoint.port)", "-U", "postgres", "-D", partial, "-F", "p", "-X", "stream",
          "-c", "fast", "--no-manifest", "-l", name,
        ],
        as: user)
    } catch {
      try? ClusterFiles.removeTree(partial)
      throw error
    }
    guard rename(partial, destination) == 0 else {
      throw .fileSystem(operation: "rename", path: destination, errno: errno)
    }
    return destination
  }

  /// The names of the finished base backups, oldest first (names sort by time when the caller names
  /// them so).
  public nonisolated var baseBackups: [String] {
    FileSystem.entries(backupsDirectory).filter { !$0.hasSuffix(".partial") }
  }

  /// Deletes a base backup.
  public nonisolated func removeBaseBackup(named name: String) throws(ClusterError) {
    try ClusterFiles.removeTree("\(backupsDirectory)/\(name)")
  }

  /// Deletes the archived WAL segments older than the first one the base backup `name` needs
  /// (`pg_archivecleanup`, which keeps timeline history files). Call it once no older backup is kept:
  /// nothing can then start from an earlier point.
  public func pruneArchive(before name: String) async throws(ClusterError) {
    let label = try ClusterFiles.readFile("\(backupsDirectory)/\(name)/backup_label")
    // START WAL LOCATION: 0/2000028 (file 000000010000000000000002)
    guard let line = label.split(separator: "\n").first(where: { $0.hasPrefix("START WAL LOCATION:") }),
      let marker = line.firstRange(of: "(file "), let close = line.lastIndex(of: ")"), marker.upperBound < close
    else { throw .invalidValue("backup \(name) names no start WAL segment") }
    let segment = String(line[marker.upperBound..<close])
    try await ChildProcess.check(installation.program("pg_archivecleanup"), [archiveDirectory, segment], as: user)
  }

  /// Makes a new, stopped cluster in `directory` from the base backup at `backup` (taken from `source`),
  /// serving `endpoint` with `certificate`, set up to recover as `recovery` says when it starts.
  public static func create(
    fromBackup backup: String,
    of source: Cluster,
    at directory: String,
    endpoint: ListenEndpoint,
    certificate: ServerCertificate,
    recovery: Recovery,
    logger: Logger = Logger(label: "mpg.postgres")
  ) async throws(ClusterError) -> Cluster {
    let directory = FileSystem.absolute(directory)
    let user = source.user
    guard user.canReach(directory) else { throw .unreachableDirectory(path: directory, user: user.name) }
    try clearLeftovers(in: directory)
    try ClusterFiles.makeDirectory(directory, mode: 0o700, owner: user)
    let cluster = Cluster(
      directory: directory, installation: source.installation, user: user, endpoint: endpoint,
      socketDirectory: socketDirectory(for: directory), logger: logger)
    // cp keeps the backup's owner (the cluster user) and modes.
    try await ChildProcess.check("/bin/cp", ["-a", "--reflink=auto", "--", backup, cluster.dataDirectory])
    // The source's server logs and any leftover state files are not this cluster's.
    for entry in ["log", "postmaster.pid", "postmaster.opts", "standby.signal", "recovery.signal", "backup_manifest"] {
      try ClusterFiles.removeTree("\(cluster.dataDirectory)/\(entry)")
    }
    try certificate.write(toDataDirectory: cluster.dataDirectory, owner: user)
    try cluster.writeClusterConfiguration()
    try cluster.writeRecoverySettings(recovery)
    return cluster
  }

  /// Appends the recovery settings to `postgresql.auto.conf` (as `pg_basebackup -R` does) and writes the
  /// signal file that starts the recovery.
  private nonisolated func writeRecoverySettings(_ recovery: Recovery) throws(ClusterError) {
    let autoFile = "\(dataDirectory)/postgresql.auto.conf"
    var text = (try? ClusterFiles.readFile(autoFile)) ?? ""
    if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
    let signal: String
    switch recovery {
    case .standby(let connection, let authority, let archive):
      let authorityFile = "\(dataDirectory)/\(Self.primaryAuthorityFile)"
      try ClusterFiles.writeFile(authorityFile, authority, mode: 0o600, owner: user)
      let tls = "sslmode=verify-full sslrootcert=\(Self.connectionValue(authorityFile))"
      text += "primary_conninfo = \(try ConfigurationFile.quote(connection + " " + tls))\n"
      text += "restore_command = \(try ConfigurationFile.quote(Self.restoreCommand(from: archive)))\n"
      text += "recovery_target_timeline = 'latest'\n"
      signal = "standby.signal"
    case .pointInTime(let target, let archive):
      text += "restore_command = \(try ConfigurationFile.quote(Self.restoreCommand(from: archive)))\n"
      text += "recovery_target_time = \(try ConfigurationFile.quote(target))\n"
      text += "recovery_target_action = 'promote'\n"
      signal = "recovery.signal"
    }
    try ClusterFiles.writeFile(autoFile, text, mode: 0o600, owner: user)
    try ClusterFiles.writeFile("\(dataDirectory)/\(signal)", "", mode: 0o600, owner: user)
  }

  /// The CA certificate a standby verifies its primary with, in its data directory.
  static let primaryAuthorityFile = "mpg-primary-ca.crt"

  /// `cp ARCHIVE/%f %p`, with the directory quoted for the shell PostgreSQL runs it with.
  static func restoreCommand(from archive: String) -> String {
    "cp '\(archive.replacingOccurrences(of: "'", with: "'\\''"))/%f' %p"
  }

  /// A libpq connection string value, quoted: `'…'` with `\` and `'` escaped.
  public static func connectionValue(_ value: String) -> String {
    "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
  }

  /// Creates `role` (a login role, with REPLICATION when asked) or sets its password. Like
  /// `setPassword(_:)`, the statement goes over stdin in a session that logs and tracks nothing.
  public func setRole(_ role: String, replication: Bool, password: String) async throws(ClusterError) {
    let name = try SQLQuoting.identifier(role)
    let nameLiteral = try SQLQuoting.literal(role)
    let literal = try SQLQuoting.literal(password)
    let sql = """
      SET log_statement = 'none';
      SET log_min_duration_statement = -1;
      SET log_min_error_statement = 'panic';
      SET pg_stat_statements.track = 'none';
      SET password_encryption = 'scram-sha-256';
      SELECT 'CREATE ROLE \(name)' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = \(nameLiteral)) \\gexec
      ALTER ROLE \(name) WITH LOGIN \(replication ? "REPLICATION" : "NOREPLICATION") PASSWORD \(literal);

      """
    do {
      _ = try await execute(sql: sql)
    } catch .sqlFailed(let message) {
      throw .sqlFailed(
        message: message.replacingOccurrences(of: literal, with: "'[redacted]'").replacingOccurrences(
          of: password, with: "[redacted]"))
    }
  }

  /// Whether the server is still recovering (a standby, or a restore not yet finished).
  public func isInRecovery() async throws(ClusterError) -> Bool {
    try await execute(sql: "SELECT pg_is_in_recovery();") == "t"
  }

  /// Waits until `condition` holds (it sees a failed query as false), checking every 50 ms. Fails when
  /// the server exits (a recovery that cannot reach its target stops it) or after `timeout`.
  public func wait(
    until condition: @Sendable (Cluster) async -> Bool, timeout: Duration = .seconds(120)
  ) async throws(ClusterError) {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while true {
      if !isRunning { throw .startFailed(reason: "postgres exited during recovery", logTail: recentLog()) }
      if await condition(self) { return }
      if clock.now >= deadline || Task.isCancelled {
        throw .startFailed(
          reason: Task.isCancelled ? "cancelled during recovery" : "recovery not finished after \(timeout)", logTail: recentLog())
      }
      try? await Task.sleep(for: .milliseconds(50))
    }
  }

  /// Whether the standby's WAL receiver is streaming from its primary.
  public func isStreaming() async throws(ClusterError) -> Bool {
    try await execute(sql: "SELECT count(*) FROM pg_stat_wal_receiver WHERE status = 'streaming';") == "1"
  }

  /// Turns a standby into a primary (`pg_promote`) and drops the settings that made it follow another.
  public func promote() async throws(ClusterError) {
    if try await isInRecovery() {
      let promoted = try await execute(sql: "SELECT pg_promote(true, 60);")
      guard promoted == "t" else { throw .sqlFailed(message: "pg_promote did not finish within 60 seconds") }
    }
    try await clearRecoverySettings()
  }

  /// Removes the recovery settings written by `create(fromBackup:…)` once they have done their work.
  public func clearRecoverySettings() async throws(ClusterError) {
    _ = try await execute(
      sql: """
        ALTER SYSTEM RESET primary_conninfo;
        ALTER SYSTEM RESET restore_command;
        ALTER SYSTEM RESET recovery_target_timeline;
        ALTER SYSTEM RESET recovery_target_time;
        ALTER SYSTEM RESET recovery_target_action;
        SELECT pg_reload_conf();

        """)
  }

  /// Makes everything written so far reach the archive: commits a transaction (so a restore to any
  /// earlier moment finds a commit after it and stops there), switches to a new WAL segment and waits
  /// until the finished one is archived.
  public func archiveCurrentWAL(timeout: Duration = .seconds(60)) async throws(ClusterError) {
    let output = try await execute(sql: "SELECT txid_current();\nSELECT pg_walfile_name(pg_switch_wal());\n")
    guard let segment = output.split(separator: "\n").last.map(String.init), !segment.isEmpty else {
      throw .sqlFailed(message: "pg_switch_wal returned nothing")
    }
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while !FileSystem.exists("\(archiveDirectory)/\(segment)") {
      if clock.now >= deadline || Task.isCancelled {
        throw .commandFailed(
          command: "archive_command", status: "timeout", detail: "WAL segment \(segment) was not archived in \(timeout)")
      }
      try? await Task.sleep(for: .milliseconds(20))
    }
  }
}

/// Handing a service over to a standby that has caught up with it (switchover).
extension Cluster {
  /// The `Latest checkpoint location` of a stopped cluster, from `pg_controldata` (after a clean stop:
  /// the last WAL record it wrote).
  public func latestCheckpointLocation() async throws(ClusterError) -> String {
    let output = try await ChildProcess.check(installation.program("pg_controldata"), ["-D", dataDirectory], as: user)
    for line in output.split(separator: "\n") where line.hasPrefix("Latest checkpoint location:") {
      return line.dropFirst("Latest checkpoint location:".count).trimmingSpaces()
    }
    throw .commandFailed(command: "pg_controldata", status: "no checkpoint location", detail: ChildProcess.trimmed(output))
  }

  /// Copies the WAL segment holding a stopped cluster's last checkpoint into `standby`'s `pg_wal`, so the
  /// standby can replay the shutdown checkpoint even when streaming did not deliver it before the walsender
  /// went away (seen on loaded machines: the standby then waits forever at the segment's start). The copy
  /// goes in under a temporary name and is renamed into place, so the standby never reads half a file.
  public func copyFinalWAL(to standby: Cluster) async throws(ClusterError) {
    let control = try await ChildProcess.check(installation.program("pg_controldata"), ["-D", dataDirectory], as: user)
    guard let segment = WALSegment(controlData: control) else {
      throw .commandFailed(command: "pg_controldata", status: "no checkpoint location", detail: ChildProcess.trimmed(control))
    }
    let source = "\(dataDirectory)/pg_wal/\(segment.fileName)"
    let target = "\(standby.dataDirectory)/pg_wal/\(segment.fileName)"
    let temporary = "\(standby.dataDirectory)/pg_wal/\(segment.fileName).mpg-copy"
    _ = try await ChildProcess.check("/bin/cp", [source, temporary], as: user)
    guard rename(temporary, target) == 0 else { throw .fileSystem(operation: "rename", path: temporary, errno: errno) }
  }

  /// Whether this standby has replayed WAL up to `location` (an LSN such as `0/3000028`).
  public func hasReplayed(upTo location: String) async -> Bool {
    guard location.allSatisfy({ $0.isHexDigit || $0 == "/" }) else { return false }
    return (try? await execute(sql: "SELECT pg_last_wal_replay_lsn() >= '\(location)'::pg_lsn;")) == "t"
  }

  /// Puts the data directory of `successor` (a stopped, promoted copy of this cluster) in place of this
  /// stopped cluster's own, under this cluster's address and socket, and moves the WAL it archived into
  /// this cluster's archive; then deletes `successor`'s directory. This cluster keeps its identity (its
  /// directory, address and archive) and serves the successor's data from its next start.
  public func takeOverData(of successor: Cluster) async throws(ClusterError) {
    guard !isRunning, !(await successor.isRunning) else {
      throw .invalidValue("both clusters must be stopped to hand the data over")
    }
    let previous = "\(dataDirectory).previous"
    try ClusterFiles.removeTree(previous)
    guard rename(dataDirectory, previous) == 0 else { throw .fileSystem(operation: "rename", path: dataDirectory, errno: errno) }
    guard rename(successor.dataDirectory, dataDirectory) == 0 else {
      let code = errno
      _ = rename(previous, dataDirectory)
      throw .fileSystem(operation: "rename", path: successor.dataDirectory, errno: code)
    }
    try writeClusterConfiguration()
    try ClusterFiles.makeDirectory(archiveDirectory, mode: 0o700, owner: user)
    for file in FileSystem.entries(successor.archiveDirectory) {
      _ = rename("\(successor.archiveDirectory)/\(file)", "\(archiveDirectory)/\(file)")
    }
    try ClusterFiles.removeTree(previous)
    try await successor.remove()
  }
}
