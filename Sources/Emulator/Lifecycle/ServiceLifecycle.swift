import Logging
import PostgresAPISpec
import PostgresCluster

/// What happens to a service over its life — provisioning, restarts and instance changes, read
/// replicas, promotion, switchover, restore, removal, and carrying on after the emulator restarts —
/// in one place. The routes decode and validate a request, call one operation here and encode what
/// it returns.
///
/// Each operation checks and makes the service's first move in one step of `EmulatorState`, answers,
/// and leaves the slow part (the cluster's) to a job in `ServiceWork`, queued behind the service's
/// earlier jobs. The moves follow `ServiceState.transitions`.
actor ServiceLifecycle {
  let state: EmulatorState
  let authority: CertificateAuthority
  let clusters: (any ClusterBackend)?
  /// How long provisioning and restarts take at least (the cloud's take minutes).
  let provisionDelay: Double
  /// How long a size or haType change keeps the service in its transition state.
  let transitionDuration: Double
  let work: ServiceWork
  let logger: Logger
  /// Primaries whose replication role is being made, with the making (see `replicationPassword(for:)`).
  var replicationRoleSetups: [String: Task<String, any Error>] = [:]

  init(
    state: EmulatorState, authority: CertificateAuthority, clusters: (any ClusterBackend)?, provisionDelay: Double,
    transitionDuration: Double, work: ServiceWork, logger: Logger
  ) {
    self.state = state
    self.authority = authority
    self.clusters = clusters
    self.provisionDelay = provisionDelay
    self.transitionDuration = transitionDuration
    self.work = work
    self.logger = logger
  }

  /// The clusters' replication side: base backups, standbys, promotion, restores.
  nonisolated var replication: (any ReplicationBackend)? { clusters as? any ReplicationBackend }

  /// A new service's major must be one the emulator can run: never a service that says 18 and runs
  /// another major. The answer names the command that installs it.
  nonisolated func requireInstalled(_ postgresVersion: String) throws {
    guard let clusters, let major = Int(postgresVersion), !clusters.servableMajors.contains(major) else { return }
    let installed = clusters.servableMajors.map(String.init).joined(separator: ", ")
    throw APIError.badRequest(
      "postgresVersion \(postgresVersion): PostgreSQL \(major) is not installed for this emulator (it serves \(installed.isEmpty ? "none" : installed)); install it with `mpg emulator postgres install \(major)`"
    )
  }

  /// Operations that need the cluster answer 400 while it is not running (still creating, failed, …).
  nonisolated func requireRunning(_ service: ServiceRecord) throws {
    guard service.state == .running else {
      throw APIError.badRequest("Postgres service \(service.id) is \(service.state), not running")
    }
  }

  /// A loopback address of its own for each service: 127.77.H.x, where H comes from the organization id,
  /// so two emulators on one machine (parallel tests, a demo beside a test run) do not pick the same
  /// addresses. Linux routes all of 127/8 to lo.
  func nextAddress() async -> String {
    await state.reserveAddress(block: addressBlock)
  }

  /// The third byte of this emulator's service addresses, from its organization id.
  nonisolated var addressBlock: Int {
    var hash: UInt32 = 2_166_136_261
    for byte in state.organization.id.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
    return Int(hash % 250) + 1
  }

  /// Ends a job's transition: moves the service to `next`, making `change` with the move. A service
  /// that has meanwhile moved where `next` cannot follow (`deleting`, whose removal waits behind this
  /// job) stays where it is: the table refuses the move.
  nonisolated func settle(
    _ serviceID: String, in next: ServiceState, _ change: @Sendable (inout ServiceRecord) -> Void = { _ in }
  ) async throws {
    if try await state.move(serviceID, to: next, change) == nil, let current = await state.service(serviceID) {
      logger.notice("service \(serviceID) is \(current.state) now, so it does not move to \(next)")
    }
  }

  /// Ends a job that failed: says why, and the service is `unavailable` (unless it moved on meanwhile).
  nonisolated func fail(_ serviceID: String, _ what: String, _ error: any Error) async {
    logger.error("service \(serviceID): \(what) failed: \(error)")
    try? await settle(serviceID, in: .unavailable)
  }
}
