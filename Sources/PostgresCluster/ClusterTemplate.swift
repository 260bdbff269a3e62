import FileIO
import Glibc
import Logging

/// An initialised data directory per installation that new clusters copy instead of running `initdb`
/// (a copy and start takes a fraction of initdb's second).
///
/// The template has the superuser `postgres`, UTF-8 with the C.UTF-8 locale, `trust` for the unix socket
/// only (the socket directory is private to the cluster user) and `scram-sha-256` over TLS (`hostssl`)
/// for TCP, replication included. Its `postgresql.conf` includes two files mpg writes:
/// `mpg-template.conf` (settings shared by every cluster of the template: `Settings.parameters`) and
/// `mpg-cluster.conf` (one cluster's address, socket and TLS files). `ALTER SYSTEM` settings in
/// `postgresql.auto.conf` override both.
///
/// A template lives in `ROOT/pgMAJOR-HASH`, where the hash covers the installation and the settings, so a
/// change of either builds a new one; it is built in a staging directory and renamed into place, so
/// concurrent callers and interrupted builds never see half a template.
///
/// Copying the template's ~1000 files costs 0.05 s on a quiet machine but over a second on a busy one, so
/// the template keeps `spareCopies` ready-made copies beside it (`pgMAJOR-HASH.spare-N`), refilled in the
/// background; a new cluster renames one into place and only copies when none is left.
public struct ClusterTemplate: Sendable {
  /// What the template bakes in beyond initdb's defaults.
  public struct Settings: Sendable, Hashable {
    /// Parameters written to `mpg-template.conf` for every cluster of the template. This is the hook for
    /// server-wide features that need a restart to change, such as
    /// `shared_preload_libraries = pg_stat_statements` and WAL archiving (`wal_level`, `archive_mode`,
    /// `archive_command`). Values are written quoted; names must be PostgreSQL parameter names.
    public var parameters: [String: String]

    /// Settings with the given extra parameters (none by default).
    public init(parameters: [String: String] = [:]) {
      self.parameters = parameters
    }
  }

  /// The installation that made the template and that its clusters run with.
  public let installation: PostgresInstallation
  /// The template's data directory.
  public let dataDirectory: String
  /// The user owning the template and its clusters.
  public let user: ClusterUser
  /// How many ready copies are kept beside the template for new clusters to take.
  public let spareCopies: Int

  /// Bumped when the template's layout changes, so old templates are not reused.
  static let layoutVersion = 3

  /// Returns the template for `installation` under `root`, running `initdb` first when it does not exist,
  /// and starts filling its spare copies in the background. `root` must be reachable by `user` (see
  /// `ClusterUser.prepareDirectory(for:)`).
  public static func prepare(
    installation: PostgresInstallation,
    user: ClusterUser,
    in root: String,
    settings: Settings = Settings(),
    spareCopies: Int = 3,
    logger: Logger = Logger(label: "mpg.postgres")
  ) async throws(ClusterError) -> ClusterTemplate {
    let root = FileSystem.absolute(root)
    guard user.canReach(root) else { throw .unreachableDirectory(path: root, user: user.name) }
    for name in settings.parameters.keys where SQLQuoting.parameterName(name) == nil {
      throw .unknownSettings([name])
    }
    let fingerprint =
      "layout \(layoutVersion)\n\(installation.version)\n\(installation.binDirectory)\n"
      + settings.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
    let dataDirectory = "\(root)/pg\(installation.major)-\(StableHash.hex(fingerprint))"
    let template = ClusterTemplate(
      installation: installation, dataDirectory: dataDirectory, user: user, spareCopies: max(0, spareCopies))
    removeAbandonedStagingDirectories(in: root)
    if FileSystem.isDirectory(dataDirectory) {
      template.replenishSparesInBackground()
      return template
    }

    try ClusterFiles.makeDirectory(root, mode: 0o755)
    let staging = "\(dataDirectory).staging-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    // Another data directory made this template already: copy it rather than initdb again.
    let cached = cachedCopy(
      of: String(dataDirectory[dataDirectory.index(after: dataDirectory.lastIndex(of: "/")!)...]), user: user)
    if await seed(staging, from: cached) {
      if rename(staging, dataDirectory) != 0 { try? ClusterFiles.removeTree(staging) }
      if FileSystem.isDirectory(dataDirectory) {
        // Spares are made after the first cluster's own copy (`copyDataDirectory`), not beside it.
        logger.info("template \(dataDirectory) taken from \(cached)")
        template.storeInCacheAfterFirstCopy(as: cached)
        return template
      }
    }
    try ClusterFiles.makeDirectory(staging, mode: 0o700, owner: user)
    do throws(ClusterError) {
      let clock = ContinuousClock()
      let started = clock.now
      try await ChildProcess.check(
        installation.program("initdb"),
        [
          "-D", staging, "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8", "--auth-local=trust",
          "--auth-host=scram-sha-256", "--no-sync", "--no-instructions",
          // 1 MB WAL segments instead of 16: a fresh cluster is 23 MB rather than 39, so a copy for a new
          // service (the bulk of a create when no spare is ready) moves 40% less.
          "--wal-segsize=1",
        ],
        as: user)
      try writeConfiguration(in: staging, settings: settings, user: user)
      try await prewarm(staging, installation: installation, user: user)
      if rename(staging, dataDirectory) != 0 {
        let code = errno
        try? ClusterFiles.removeTree(staging)
        // A concurrent caller built the same template first: use theirs.
        guard FileSystem.isDirectory(dataDirectory) else {
          throw .fileSystem(operation: "rename", path: dataDirectory, errno: code)
        }
        template.replenishSparesInBackground()
        return template
      }
      logger.info("initialised template \(dataDirectory) with \(installation) in \(started.duration(to: clock.now))")
      template.storeInCacheAfterFirstCopy(as: cached)
      return template
    } catch {
      try? ClusterFiles.removeTree(staging)
      throw error
    }
  }

  /// Starts the new template once without TCP, connects to each database that accepts connections, and
  /// stops it cleanly. The first connection to a database builds its relation cache file
  /// (`pg_internal.init`); doing it here spares every cluster's first connection that work.
  private static func prewarm(_ directory: String, installation: PostgresInstallation, user: ClusterUser)
    async throws(ClusterError)
  {
    // A short path: socket paths are limited to 107 bytes. pg_ctl passes -o through sh, and this path has
    // no characters sh would interpret.
    let socket = "/tmp/mpg-prewarm-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try ClusterFiles.makeDirectory(socket, mode: 0o700, owner: user)
    defer { try? ClusterFiles.removeTree(socket) }
    let pgctl = installation.program("pg_ctl")
    try await ChildProcess.check(
      pgctl,
      ["start", "-w", "-t", "120", "-D", directory, "-l", "/dev/null", "-o", "-c listen_addresses='' -k \(socket)"],
      as: user)
    var failure: ClusterError?
    for database in ["postgres", "template1"] {
      do throws(ClusterError) {
        try await ChildProcess.check(
          installation.program("psql"), ["-X", "-q", "-h", socket, "-U", "postgres", "-d", database, "-c", "SELECT 1"],
          as: user)
      } catch {
        failure = error
      }
    }
    try await ChildProcess.check(pgctl, ["stop", "-w", "-t", "120", "-m", "fast", "-D", directory], as: user)
    // It records this run's command line, which is no cluster's.
    try ClusterFiles.removeTree("\(directory)/postmaster.opts")
    // Nor should the prewarm's own statements appear in every cluster's pg_stat_statements.
    try ClusterFiles.removeTree("\(directory)/pg_stat/pg_stat_statements.stat")
    if let failure { throw failure }
  }

  /// Deletes staging directories (of templates and spare copies) whose process is gone.
  public static func removeAbandonedStagingDirectories(in root: String) {
    for entry in FileSystem.entries(root) {
      guard let marker = entry.firstRange(of: ".staging-") else { continue }
      let pid = pid_t(entry[marker.upperBound...].prefix { $0.isNumber }) ?? 0
      if pid != getpid() && !ProcessTable.isAlive(pid) { try? ClusterFiles.removeTree("\(root)/\(entry)") }
    }
  }

  /// Rewrites pg_hba.conf and adds mpg's configuration files to a fresh initdb directory.
  private static func writeConfiguration(in directory: String, settings: Settings, user: ClusterUser) throws(ClusterError) {
    // A new service's default access rule lets any IPv4 address in (see `Cluster.allowConnections`).
    let hba = Cluster.hostBasedAccess(allowing: ["0.0.0.0/0"])
    try ClusterFiles.writeFile("\(directory)/pg_hba.conf", hba, mode: 0o600, owner: user)

    var shared = "# Written by mpg: settings shared by every cluster made from this template.\n"
    shared += "unix_socket_permissions = 0700\n"
    for (name, value) in settings.parameters.sorted(by: { $0.key < $1.key }) {
      shared += "\(name) = \(try ConfigurationFile.quote(value))\n"
    }
    try ClusterFiles.writeFile("\(directory)/\(ConfigurationFile.templateFile)", shared, mode: 0o600, owner: user)
    try ClusterFiles.writeFile("\(directory)/\(ConfigurationFile.clusterFile)", "", mode: 0o600, owner: user)

    var main = try ClusterFiles.readFile("\(directory)/postgresql.conf")
    main += """

      # mpg: settings shared by the clusters of this template, then this cluster's own.
      include_if_exists = '\(ConfigurationFile.templateFile)'
      include_if_exists = '\(ConfigurationFile.clusterFile)'

      """
    try ClusterFiles.writeFile("\(directory)/postgresql.conf", main, mode: 0o600, owner: user)
  }
}

/// mpg's configuration files inside a data directory and their value syntax.
enum ConfigurationFile {
  static let templateFile = "mpg-template.conf"
  static let clusterFile = "mpg-cluster.conf"

  /// A value in postgresql.conf syntax: single-quoted, quotes and backslashes escaped.
  static func quote(_ value: String) throws(ClusterError) -> String {
    guard !value.unicodeScalars.contains(where: { $0 == "\0" || $0 == "\n" || $0 == "\r" }) else {
      throw .invalidValue("line break or NUL in a configuration value")
    }
    return "'" + value.replacingAll("\\", with: "\\\\").replacingAll("'", with: "''") + "'"
  }

  /// `name = value` pairs of a file mpg wrote (quotes removed); comments and blank lines skipped.
  static func parse(_ text: String) -> [String: String] {
    var values: [String: String] = [:]
    for line in text.split(separator: "\n") {
      let trimmed = line.drop { $0 == " " }
      guard !trimmed.hasPrefix("#"), let equals = trimmed.firstIndex(of: "=") else { continue }
      let name = trimmed[..<equals].trimmingSpaces()
      var value = trimmed[trimmed.index(after: equals)...].trimmingSpaces()
      if value.hasPrefix("'") && value.hasSuffix("'") && value.count >= 2 {
        value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")
          .replacingOccurrences(of: "\\\\", with: "\\")
      }
      values[name] = value
    }
    return values
  }
}

extension Substring {
  func trimmingSpaces() -> String {
    String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
  }
}

extension String {
  /// Every occurrence of a substring replaced (no Foundation here).
  func replacingOccurrences(of target: String, with replacement: String) -> String {
    guard !target.isEmpty else { return self }
    var result = ""
    var rest = self[...]
    while let range = rest.firstRange(of: target) {
      result += rest[..<range.lowerBound]
      result += replacement
      rest = rest[range.upperBound...]
    }
    return result + rest
  }
}
