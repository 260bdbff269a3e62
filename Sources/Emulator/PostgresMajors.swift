import PostgresCluster

/// The PostgreSQL majors the emulator can run, for `mpg emulator postgres list|install`.
public enum PostgresMajors {
  /// One installation found.
  public struct Found: Sendable {
    /// The major version.
    public let major: Int
    /// The full version, as `pg_config` says it.
    public let version: String
    /// Where its programs are.
    public let binDirectory: String
    /// Where it comes from ("installed by mpg", "Debian package", …).
    public let origin: String
    /// Whether the emulator can use it: clusters serve TLS, so it must be built with OpenSSL.
    public let supportsTLS: Bool
  }

  /// Every installation found, preferred first, and the places looked at.
  public static func found() async -> (installations: [Found], searched: [String]) {
    let discovered = await PostgresInstallations.discover()
    let found = discovered.installations.map {
      Found(major: $0.major, version: $0.version, binDirectory: $0.binDirectory, origin: $0.origin, supportsTLS: $0.supportsTLS)
    }
    return (found, discovered.searchedLocations)
  }

  /// The majors `install` knows, ascending.
  public static var installable: [Int] { PostgresInstaller.wheelVersions.keys.sorted() }

  /// Where `install` puts majors unless told otherwise.
  public static var defaultRoot: String { PostgresInstallations.managedRoot }

  /// Installs `major` under `root`; returns a sentence saying what was done.
  public static func install(_ major: Int, into root: String) async throws -> String {
    switch try await PostgresInstaller.install(major: major, into: root) {
    case .alreadyInstalled(let installation): "PostgreSQL \(installation.version) is already installed in \(root)/\(major)"
    case .installed(let installation): "installed PostgreSQL \(installation.version) in \(root)/\(major)"
    }
  }
}
