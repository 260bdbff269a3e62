import Hummingbird
import JQ
import Logging
import PostgresAPISpec

/// Read replicas: `POST …/{postgresId}/readReplica`, and the `promote` and `switchover` commands of
/// `PATCH …/{postgresId}/state`.
///
/// A replica is a real hot standby: a copy of its primary's latest base backup that streams the primary's
/// WAL over TLS as the role `mpg_replication` (made on the primary with the first replica), and reads
/// segments the primary no longer keeps from the primary's archive. It passes through `restoring_backup`
/// (the copy) and `replaying_wal` (until it streams) to `running`.
struct ReplicaRoutes {
  let postgres: PostgresRoutes

  private var state: EmulatorState { postgres.state }
  private var work: ServiceWork { postgres.work }
  private var logger: Logger { postgres.logger }
  private var clusters: (any ReplicationBackend)? { postgres.clusters as? any ReplicationBackend }

  /// The live API's answer to a replica request before the primary's first backup.
  static let noBackupsYet = APIError.badRequest("Parent server is not ready for read replicas. There are no backups, yet.")

  func register(on router: Router<EmulatorContext>) {
    router.post(RouterPath("/v1/organizations/:organizationId/postgres/:postgresId/readReplica")) { request, context in
      let primary = try await postgres.resolve(context)
      let body = try await PostgresRoutes.body(of: request)
      return Envelope.success(try await createReplica(of: primary, body), requestID: context.requestID)
    }
  }

  // MARK: Rules other endpoints apply

  /// PATCH of a service or its password: a replica follows its primary and takes no changes of its own.
  static func refuseChange(of service: ServiceRecord) throws {
    if service.parentID != nil {
      throw APIError.badRequest("Read replicas cannot be modified directly! Please modify the parent database instead.")
    }
  }

  /// DELETE: a primary with replicas stays until they are gone.
  func refuseDeletionWithReplicas(_ service: ServiceRecord) async throws {
    let replicas = await state.replicas(of: service.id)
    guard !replicas.isEmpty else { return }
    let names = replicas.map { "\($0.name) (\($0.id))" }.joined(separator: ", ")
    throw APIError.conflict("Postgres service \(service.id) has read replicas: \(names). Delete them first.")
  }

  // MARK: Creating

  private func createReplica(of primary: ServiceRecord, _ body: JSONValue?) async throws -> JSONValue {
    let request = try PostgresRoutes.validated { () throws(ValidationFailure) in try postgres.validator.validateReadReplica(body)
    }
    guard primary.isPrimary else {
      throw APIError.badRequest("Postgres service \(primary.id) is a read replica; create read replicas of its primary")
    }
    try postgres.requireRunning(primary)
    try postgres.requireInstalled(primary.postgresVersion)
    guard !primary.backups.isEmpty else { throw Self.noBackupsYet }
    _ = try await replicationPassword(for: primary)
    var record = ServiceRecord(
      id: Identifiers.uuid(), name: request.name, provider: primary.provider, region: primary.region,
      postgresVersion: primary.postgresVersion, size: primary.size, haType: "none", tags: request.tags,
      storageSize: primary.storageSize, hostname: await postgres.nextAddress(), port: 5432, password: primary.password)
    record.state = .restoringBackup
    record.isPrimary = false
    record.parentID = primary.id
    // Made from the primary's backup, whose pg_hba.conf holds the primary's rules.
    record.ipAccessList = primary.ipAccessList
    record.pgConfig = (request.pgConfig ?? []).map { ($0.name, $0.value) }
    record.pgBouncerConfig = (request.pgBouncerConfig ?? []).map { ($0.name, $0.value) }
    try await state.insert(record)
    await startReplica(record.id)
    return record.json(withCredentials: false)
  }

  /// Makes the replica's cluster from the primary's latest backup and waits until it streams.
  func startReplica(_ replicaID: String) async {
    let state = state
    let clusters = clusters
    let authority = postgres.authority
    let settings = postgres.clusters
    let logger = logger
    await work.enqueue(replicaID) {
      do {
        guard let record = await state.service(replicaID), let parentID = record.parentID else { return }
        try await state.update(replicaID) { $0.state = .restoringBackup }
        guard let clusters else {
          try await state.update(replicaID) { $0.state = .running }
          return
        }
        guard let primary = await state.service(parentID), let backup = primary.backups.last,
          let password = primary.replicationPassword
        else {
          throw EmulatorError("the primary \(parentID) has no backup to copy")
        }
        let tls = try authority.issueServerCertificate(address: record.hostname, hostnames: ["localhost"])
        let endpoint = try await clusters.createFromBackup(
          serviceID: replicaID, sourceID: parentID, backup: backup.key, address: record.hostname, tls: tls,
          recovery: .standby(
            host: primary.hostname, port: primary.port, role: LocalClusters.replicationRole, password: password,
            certificateAuthority: authority.certificatePEM))
        try await state.update(replicaID) {
          $0.hostname = endpoint.host; $0.port = endpoint.port; $0.state = .replayingWAL
        }
        try await clusters.startRecovery(serviceID: replicaID, asStandby: true)
        if !record.pgConfig.isEmpty {
          _ = try await settings?.apply(
            serviceID: replicaID, settings: record.pgConfig.map { ($0.0, ConfigEntry(name: $0.0, value: $0.1).settingText) })
        }
        try await state.update(replicaID) { $0.state = .running }
      } catch {
        // Cancelled by shutdown: the state file keeps the state, and the next start makes it again.
        guard !Task.isCancelled else { return }
        logger.error("service \(replicaID): making the read replica failed: \(error)")
        _ = try? await state.update(replicaID) { $0.state = .unavailable }
      }
    }
  }

  // MARK: State commands

  /// `promote`: the replica stops following its primary and becomes a writable primary of its own
  /// (`pg_promote`), passing through `restarting`; `isPrimary` turns true when it is done.
  func promote(_ service: ServiceRecord) async throws -> JSONValue {
    let updated = try await state.update(service.id) { record in
      guard record.parentID != nil else {
        throw APIError.badRequest("Postgres service \(record.id) is not a read replica; only a read replica can be promoted")
      }
      try record.beginRestart(refusing: "only a running read replica can be promoted")
      // Not primary and without a parent: "being promoted", also for a restarted emulator.
      record.parentID = nil
    }
    guard let updated else { throw APIError.invalidServiceID(service.id) }
    await startPromotion(service.id)
    return updated.json(withCredentials: false)
  }

  private func startPromotion(_ serviceID: String) async {
    let state = state
    let clusters = clusters
    let logger = logger
    await work.enqueue(serviceID) {
      do {
        try await clusters?.promote(serviceID: serviceID)
        try await state.update(serviceID) {
          $0.isPrimary = true; $0.state = .running
        }
      } catch {
        guard !Task.isCancelled else { return }
        logger.error("service \(serviceID): promotion failed: \(error)")
        _ = try? await state.update(serviceID) { $0.state = .unavailable }
      }
    }
  }

  /// `switchover`: a service with a standby (haType async or sync) hands over to it and stays at the same
  /// address. The emulator builds the standby when asked — from the latest base backup, streaming until
  /// it has caught up — stops the primary cleanly, lets the standby replay its last WAL, promotes it and
  /// serves the service's address from it (a new timeline); the old primary's data is discarded rather than
  /// kept as the next standby. Without a standby (haType none, and every read replica) there is nothing to
  /// switch to: 400.
  func switchover(_ service: ServiceRecord) async throws -> JSONValue {
    guard service.parentID == nil, service.isPrimary, service.haType != "none" else {
      throw APIError.badRequest(
        "Postgres service \(service.id) has haType none and so no standby to switch over to; set haType to async or sync first")
    }
    try postgres.requireRunning(service)
    guard !service.backups.isEmpty else {
      throw APIError.badRequest("Postgres service \(service.id) has no backup yet to make its standby from; try again shortly")
    }
    let password = try await replicationPassword(for: service)
    let updated = try await state.update(service.id) { record in
      try record.beginRestart(refusing: "only a running service can switch over")
    }
    guard let updated else { throw APIError.invalidServiceID(service.id) }
    let state = state
    let clusters = clusters
    let authority = postgres.authority
    let logger = logger
    await work.enqueue(service.id) {
      do {
        guard let record = await state.service(service.id), let backup = record.backups.last else { return }
        if let clusters {
          let tls = try authority.issueServerCertificate(address: record.hostname, hostnames: ["localhost"])
          try await clusters.switchover(
            serviceID: record.id, backup: backup.key, tls: tls,
            recovery: .standby(
              host: record.hostname, port: record.port, role: LocalClusters.replicationRole, password: password,
              certificateAuthority: authority.certificatePEM))
        }
        try await state.update(service.id) { $0.state = .running }
      } catch {
        guard !Task.isCancelled else { return }
        logger.error("service \(service.id): switchover failed: \(error)")
        // The hand-over puts the old primary back when it fails; the service runs on.
        _ = try? await state.update(service.id) { $0.state = .running }
      }
    }
    return updated.json(withCredentials: false)
  }

  /// The password of the role standbys stream as, made on the primary the first time one is needed.
  private func replicationPassword(for primary: ServiceRecord) async throws -> String {
    if let password = primary.replicationPassword { return password }
    // The role reaches the standbys with the WAL.
    let password = Identifiers.password()
    do {
      try await clusters?.setReplicationRole(serviceID: primary.id, password: password)
    } catch {
      throw APIError.internalError("could not prepare \(primary.id) for replication: \(error)")
    }
    try await state.update(primary.id) { $0.replicationPassword = password }
    return password
  }

  // MARK: After a restart

  /// Replicas cut short while being made are made again; promotions cut short are finished.
  func reconcile() async {
    for service in await state.services {
      if service.parentID != nil, service.state.isRestoring {
        await startReplica(service.id)
      } else if !service.isPrimary, service.parentID == nil, [.running, .restarting].contains(service.state) {
        _ = try? await state.update(service.id) { $0.state = .restarting }
        await startPromotion(service.id)
      }
    }
  }
}
