import FileIO
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
    // requested, installed
    (18, [15, 18]),
    (17, [15, 18]),
    (16, [15, 18]),
    (15, [15]),
  ])
  func onlyTheRequestedMajorIsChosen(requested: Int, installed: [Int]) throws {
    let installations = PostgresInstallations(installations: installed.map { Self.installation($0) })
    if installed.contains(requested) {
      #expect(try installations.binaries(forMajor: requested).major == requested)
    } else {
      #expect(throws: ClusterError.majorNotInstalled(major: requested, installed: installed)) {
        try installations.binaries(forMajor: requested)
      }
    }
    #expect(installations.servableMajors == installed)
  }

  /// Clusters run with ssl = on: a build without OpenSSL is used only when there is nothing else.
  @Test func installationsWithTLSArePreferred() throws {
    let mixed = PostgresInstallations(installations: [Self.installation(18, tls: false), Self.installation(15)])
    #expect(throws: ClusterError.self) { try mixed.binaries(forMajor: 18) }
    #expect(mixed.servableMajors == [15])
    let both = PostgresInstallations(installations: [Self.installation(18, tls: false), Self.installation(18)])
    #expect(try both.binaries(forMajor: 18).supportsTLS)
    let withoutTLS = PostgresInstallations(installations: [Self.installation(18, tls: false)])
    #expect(try withoutTLS.binaries(forMajor: 18).major == 18)
  }

  @Test func aMissingMajorNamesTheCommandThatInstallsIt() {
    let error = ClusterError.majorNotInstalled(major: 17, installed: [15, 18])
    #expect(
      error.description
        == "PostgreSQL 17 is not installed (installed: 15, 18); install it with `mpg emulator postgres install 17`")
  }

  @Test func noInstallationIsAnError() {
    #expect(throws: ClusterError.self) { try PostgresInstallations(installations: []).binaries(forMajor: 18) }
  }

  /// scripts/install-deps provides Debian's PostgreSQL 15, and scripts/test installs 17 and 18 into the
  /// checkout (`mpg emulator postgres install 17 18 --dir .venv/postgresql`), all with TLS.
  @Test func installedMajorsAreFound() async throws {
    let found = await TestFixture.shared.installations()
    for major in [15, 17, 18] {
      let installation = try #require(found.installation(exactMajor: major), "run scripts/test: \(found.searchedLocations)")
      #expect(installation.supportsTLS, "\(installation)")
      #expect(FileSystem.isExecutableFile(installation.program("postgres")))
    }
    #expect(found.installation(exactMajor: 17)?.origin == "installed by mpg in the checkout")
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
    try ClusterFiles.makeDirectory(hidden, mode: 0o700)
    defer { try? ClusterFiles.removeTree(hidden) }
    try await ChildProcess.check("/bin/cp", ["-a", FileSystem.parent(of: debian.binDirectory), "\(hidden)/15"])
    let original = PostgresInstallation(
      major: 15, version: debian.version, binDirectory: "\(hidden)/15/bin", supportsTLS: true, origin: "test",
      relocatableParts: ["15"], relocationBase: hidden)
    #expect(!user.canReach(original.binDirectory))
    let copy = try await original.reachable(by: user)
    defer { try? ClusterFiles.removeTree(copy.relocationBase) }
    #expect(copy.binDirectory.hasPrefix(ClusterUser.fallbackBaseDirectory + "/installations/"))
    let version = try await ChildProcess.check(copy.program("postgres"), ["--version"], as: user)
    #expect(version.contains("PostgreSQL) 15"))
  }
}
