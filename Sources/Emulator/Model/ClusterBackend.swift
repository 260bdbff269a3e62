/// What the emulator asks of the PostgreSQL clusters behind its services. `LocalClusters` does it
/// with real clusters (the PostgresCluster target).
protocol ClusterBackend: Sendable {
  /// The PostgreSQL majors a new service can have (those installed).
  var servableMajors: [Int] { get }
  /// Creates and starts the cluster for a new service; returns the address and port it listens on.
  func create(serviceID: String, majorVersion: String, address: String, password: String, tls: (certificate: String, key: String))
    async throws -> (host: String, port: Int)
  /// Starts an existing service's cluster again (after an emulator restart).
  func start(serviceID: String) async throws
  /// Restarts a service's cluster.
  func restart(serviceID: String) async throws
  /// Stops a service's cluster and deletes its data.
  func remove(serviceID: String) async throws
  /// Changes the superuser password.
  func setPassword(serviceID: String, _ password: String) async throws
  /// Applies settings; returns the names that only take effect after a restart.
  func apply(serviceID: String, settings: [(String, String)]) async throws -> [String]
  /// Lets TCP clients from `sources` (IPv4 addresses or CIDR blocks) connect, and nobody else.
  func allowConnections(serviceID: String, from sources: [String]) async throws
  /// Stops every cluster (emulator shutdown).
  func stopAll() async
}
