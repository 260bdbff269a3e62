import FileIO
import FoundationEssentials
import Logging
import PostgresCluster

#if canImport(Glibc)
  import Glibc
#endif

/// The emulator's clusters: one real PostgreSQL cluster per service, made from a per-major template
/// under `root`, run as the cluster user (an unprivileged system user when the emulator is root).
actor LocalClusters: ClusterBackend {
  private let root: String
  private let user: ClusterUser
  private let installations: PostgresInstallations
  let logger: Logger
  private var templates: [Int: ClusterTemplate] = [:]
  var clusters: [String: Cluster] = [:]
  /// New clusters that are still to fail their start (`EmulatorConfiguration.failingClusterStarts`).
  private var injectedStartFailures = 0
  /// Prunes the clusters' server logs now and then (see `Cluster.pruneLogs()`).
  private var housekeeping: Task<Void, Never>?

  private init(root: String, user: ClusterUser, installations: PostgresInstallations, logger: Logger) {
    self.root = root
    self.user = user
    self.installations = installations
    self.logger = logger
  }

  /// The PostgreSQL majors new services can have.
  nonisolated var servableMajors: [Int] { installations.servableMajors }

  /// Finds PostgreSQL (only `onlyMajors` when given: tests that need a major to be missing), settles the
  /// cluster user and directory, and stops clusters a previous run left.
  static func prepare(dataDirectory: String, onlyMajors: [Int]? = nil, logger: Logger) async throws -> LocalClusters {
    let user = try await ClusterUser.forThisProcess(logger: logger)
    let root = try user.prepareDirectory(for: dataDirectory + "/clusters")
    // The owner file comes before `templates`, which is what makes a directory a cluster root to the
    // `OrphanCollector`: a collection running meanwhile (`gc --unowned`) must never see the new root
    // without its owner and take it for one a gone emulator left.
    if root.hasPrefix(ClusterUser.fallbackBaseDirectory + "/") {
      let absolute = FileSystem.absolute(dataDirectory)
      try FileText.writeAtomically(absolute + "\n", to: root + "/" + ownerFileName, mode: 0o644)
    }
    _ = try user.prepareDirectory(for: root + "/templates")
    var installations = await PostgresInstallations.discover()
    if let onlyMajors {
      installations = PostgresInstallations(
        installations: installations.installations.filter { onlyMajors.contains($0.major) },
        searchedLocations: installations.searchedLocations)
    }
    guard !installations.installations.isEmpty else {
      throw EmulatorError(
        "no PostgreSQL installation found (searched \(installations.searchedLocations.joined(separator: ", "))); run scripts/install-deps"
      )
    }
    await ClusterReaper.stopLeftovers(under: root, logger: logger)
    // Half-made template copies of a run that was killed.
    ClusterTemplate.removeAbandonedStagingDirectories(in: root + "/templates")
    let clusters = LocalClusters(root: root, user: user, installations: installations, logger: logger)
    await clusters.startHousekeeping()
    return clusters
  }

  /// How often the housekeeping prunes the server logs.
  static let housekeepingInterval = Duration.seconds(60)

  private func startHousekeeping() {
    housekeeping = Task { [weak self] in
      while !Task.isCancelled {
        try? await Task.sleep(for: Self.housekeepingInterval)
        guard let self else { return }
        for cluster in await self.clusters.values { cluster.pruneLogs() }
      }
    }
  }

  /// Where the clusters of `dataDirectory` live: `DATA/clusters`, or a directory under /var/lib/mpg when
  /// the cluster user cannot reach the data directory (see `ClusterUser.reachableDirectory(for:)`).
  static func root(forDataDirectory dataDirectory: String) async throws -> String {
    try await ClusterUser.forThisProcess().reachableDirectory(for: dataDirectory + "/clusters")
  }

  /// Stops the clusters a previous run left for `dataDirectory` and deletes their directory — templates,
  /// spare copies and socket directories kept outside it included (for `reset`).
  static func removeAll(dataDirectory: String) async throws {
    try await removeRoot(root(forDataDirectory: dataDirectory))
  }

  /// Stops every postmaster under a cluster root and deletes the root with the socket directories its
  /// clusters keep outside it.
  static func removeRoot(_ root: String) async throws {
    await ClusterReaper.stopLeftovers(under: root)
    guard access(root, F_OK) == 0 else { return }
    for entry in FileSystem.entries(root) {
      if let socketDirectory = Cluster.socketDirectoryOutside(clusterDirectory: root + "/" + entry) {
        try? FileSystem.removeTree(socketDirectory)
      }
    }
    try FileSystem.removeTree(root)
  }

  /// The file in a cluster root kept outside its data directory that names that data directory, so
  /// that `OrphanCollector` can tell when the data directory is gone.
  static let ownerFileName = "owner"

  func injectStartFailures(_ count: Int) {
    injectedStartFailures = count
  }

  func directory(of serviceID: String) -> String {
    root + "/" + serviceID
  }

  private func template(forMajor requested: String) async throws -> ClusterTemplate {
    let found = try installations.binaries(forMajor: Int(requested) ?? 17)
    let major = found.major
    if let template = templates[major] { return template }
    let installation = try await found.reachable(by: user, logger: logger)
    let template = try await ClusterTemplate.prepare(
      installation: installation, user: user, in: root + "/templates", settings: Self.templateSettings, logger: logger)
    templates[major] = template
    return template
  }

  func create(serviceID: String, majorVersion: String, address: String, password: String, tls: (certificate: String, key: String))
    async throws -> (host: String, port: Int)
  {
    let template = try await template(forMajor: majorVersion)
    let endpoint = try ListenEndpoint.choose(preferredHost: address)
    if let reason = endpoint.fallbackReason { logger.notice("service \(serviceID): \(reason); listening on \(endpoint)") }
    let cluster = try await Cluster.create(
      from: template, at: directory(of: serviceID), endpoint: endpoint,
      certificate: ServerCertificate(certificateChainPEM: tls.certificate, privateKeyPEM: tls.key), logger: logger
    )
    clusters[serviceID] = cluster
    if injectedStartFailures > 0 {
      injectedStartFailures -= 1
      throw ClusterError.startFailed(reason: "could not bind \(endpoint) (a failure injected by the configuration)", logTail: "")
    }
    try await cluster.start()
    try await cluster.setPassword(password)
    return (endpoint.host, endpoint.port)
  }

  func cluster(_ serviceID: String) async throws -> Cluster {
    if let cluster = clusters[serviceID] { return cluster }
    let cluster = try await Cluster.open(at: directory(of: serviceID), installations: installations, user: user, logger: logger)
    clusters[serviceID] = cluster
    return cluster
  }

  func start(serviceID: String) async throws {
    try await cluster(serviceID).start()
  }

  func restart(serviceID: String) async throws {
    try await cluster(serviceID).restart()
  }

  func remove(serviceID: String) async throws {
    try await cluster(serviceID).remove()
    clusters[serviceID] = nil
  }

  func setPassword(serviceID: String, _ password: String) async throws {
    try await cluster(serviceID).setPassword(password)
  }

  func apply(serviceID: String, settings: [(String, String)]) async throws -> [String] {
    guard !settings.isEmpty else { return [] }
    let change = try await cluster(serviceID).applySettings(Dictionary(settings, uniquingKeysWith: { _, last in last }))
    return change.needsRestart
  }

  func allowConnections(serviceID: String, from sources: [String]) async throws {
    try await cluster(serviceID).allowConnections(from: sources)
  }

  func stopAll() async {
    housekeeping?.cancel()
    // A spare copy still being made would write into the templates' directory after `reset` deleted it.
    for template in templates.values { await template.finishRefilling() }
    for (serviceID, cluster) in clusters {
      do {
        try await cluster.stop()
      } catch {
        logger.error("service \(serviceID): the cluster did not stop: \(error)")
      }
    }
  }
}
