import Glibc
import Synchronization
import Testing

@testable import PostgresCluster

/// What the cluster tests share: the installations, the cluster user, one template per installation and a
/// TLS certificate. Built once per test process; templates are kept between runs under `root/templates`
/// (their names change whenever their inputs do).
actor TestFixture {
  static let shared = TestFixture()

  /// Every test directory lives here, reachable by the cluster user.
  static let root = "/tmp/mpg-pgtests"

  private var installationsTask: Task<PostgresInstallations, Never>?
  private var userTask: Task<ClusterUser, any Error>?
  private var certificateTask: Task<ServerCertificate, any Error>?
  private var templateTasks: [Int: Task<ClusterTemplate, any Error>] = [:]

  // Tests run in parallel: each shared value is built by one task that every caller awaits.

  func installations() async -> PostgresInstallations {
    let task = installationsTask ?? Task { await PostgresInstallations.discover() }
    installationsTask = task
    return await task.value
  }

  func user() async throws -> ClusterUser {
    let task = userTask ?? Task { try await ClusterUser.forThisProcess() }
    userTask = task
    return try await task.value
  }

  func template(major: Int) async throws -> ClusterTemplate {
    let task =
      templateTasks[major]
      ?? Task {
        let user = try await self.user()
        let installation = try await self.installations().binaries(forMajor: major).reachable(by: user)
        let root = try user.prepareDirectory(for: "\(Self.root)/templates")
        return try await ClusterTemplate.prepare(installation: installation, user: user, in: root)
      }
    templateTasks[major] = task
    return try await task.value
  }

  /// A self-signed certificate for the loopback range (clients here use sslmode=require).
  func serverCertificate() async throws -> ServerCertificate {
    let task = certificateTask ?? Task { try await Self.makeCertificate() }
    certificateTask = task
    return try await task.value
  }

  private static func makeCertificate() async throws -> ServerCertificate {
    let directory = "\(root)/certificate-\(getpid())"
    try ClusterFiles.makeDirectory(directory, mode: 0o700)
    defer { try? ClusterFiles.removeTree(directory) }
    try await ChildProcess.check(
      "/usr/bin/openssl",
      [
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
        "-subj", "/CN=mpg test cluster", "-addext", "subjectAltName=IP:127.0.0.1",
        "-keyout", "\(directory)/key.pem", "-out", "\(directory)/cert.pem",
      ])
    return ServerCertificate(
      certificateChainPEM: try ClusterFiles.readFile("\(directory)/cert.pem"),
      privateKeyPEM: try ClusterFiles.readFile("\(directory)/key.pem"))
  }

  private static let counter = Mutex(0)

  /// A fresh loopback address for one cluster: 127.77.(pid % 200).N, so parallel tests and runs differ.
  static func nextAddress() -> String {
    let number = counter.withLock { value in
      value += 1
      return value
    }
    return "127.77.\(getpid() % 200 + 20).\(number % 250 + 1)"
  }

  /// A directory for one cluster under `root`.
  static func clusterDirectory(_ name: String) -> String {
    let number = counter.withLock { value in
      value += 1
      return value
    }
    return "\(root)/\(name)-\(getpid())-\(number)"
  }

  /// Creates a cluster of `major` on a fresh loopback address, runs `body`, and removes the cluster even
  /// when `body` fails.
  func withCluster<T: Sendable>(
    major: Int, name: String, _ body: @Sendable (Cluster) async throws -> T
  ) async throws -> T {
    let address = Self.nextAddress()
    let cluster = try await Cluster.create(
      from: try await template(major: major), at: Self.clusterDirectory(name),
      endpoint: try ListenEndpoint.choose(preferredHost: address), certificate: try await serverCertificate())
    do {
      let result = try await body(cluster)
      try await cluster.remove()
      return result
    } catch {
      try? await cluster.remove()
      throw error
    }
  }
}

/// psql as a client over TCP with TLS and channel binding; the password goes in PGPASSWORD, not argv.
func psqlOverTLS(_ cluster: Cluster, password: String, sql: String) async throws -> ChildProcess.Outcome {
  let conninfo =
    "host=\(cluster.endpoint.host) port=\(cluster.endpoint.port) user=postgres dbname=postgres "
    + "sslmode=require channel_binding=require connect_timeout=5"
  return try await ChildProcess.run(
    cluster.installation.program("psql"), ["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql, conninfo],
    environment: ["PGPASSWORD": password])
}
