import PostgresAPISpec

/// Read replicas are real hot standbys: a copy of the primary's latest base backup that streams the
/// primary's WAL over TLS as the role `mpg_replication` (made on the primary with the first replica),
/// and reads segments the primary no longer keeps from the primary's archive. A replica passes through
/// `restoring_backup` (the copy) and `replaying_wal` (until it streams) to `running`.
extension ServiceLifecycle {
  /// The live API's answer to a replica request before the primary's first backup.
  static let noBackupsYet = APIError.badRequest("Parent server is not ready for read replicas. There are no backups, yet.")

  /// A new read replica of `primary`.
  func createReplica(of primary: ServiceRecord, _ request: ReadReplicaRequest) async throws -> ServiceRecord {
    guard primary.isPrimary else {
      throw APIError.badRequest("Postgres service \(primary.id) is a read replica; create read replicas of its primary")
    }
    try requireRunning(primary)
    try requireInstalled(primary.postgresVersion)
    guard !primary.backups.isEmpty else { throw Self.noBackupsYet }
    _ = try await replicationPassword(for: primary)
    var record = ServiceRecord(
      id: Identifiers.uuid(), name: request.name, provider: primary.provider, region: primary.region,
      postgresVersion: primary.postgresVersion, size: primary.size, haType: "none", tags: request.tags,
      storageSize: primary.storageSize, hostname: await nextAddress(), port: 5432, password: primary.password)
    try record.move(to: .restoringBackup)
    record.isPrimary = false
    record.parentID = primary.id
    // Made from the primary's backup, whose pg_hba.conf holds the primary's rules.
    record.ipAccessList = primary.ipAccessList
    record.pgConfig = (request.pgConfig ?? []).map { ($0.name, $0.value) }
    record.pgBouncerConfig = (request.pgBouncerConfig ?? []).map { ($0.name, $0.value) }
    try await state.insert(record)
    await startReplica(record.id)
    return record
  }

  /// Makes the replica's cluster from the primary's latest backup and waits until it streams.
  func startReplica(_ replicaID: String) async {
    let clusters = replication
    let settings = self.clusters
    await work.enqueue(replicaID) { [self] in
      do {
        guard let record = await state.service(replicaID), let parentID = record.parentID else { return }
        try await settle(replicaID, in: .restoringBackup)
        guard let clusters else {
          try await settle(replicaID, in: .running)
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
        try await settle(replicaID, in: .replayingWAL) {
          $0.hostname = endpoint.host; $0.port = endpoint.port
        }
        try await clusters.startRecovery(serviceID: replicaID, asStandby: true)
        if !record.pgConfig.isEmpty {
          _ = try await settings?.apply(
            serviceID: replicaID, settings: record.pgConfig.map { ($0.0, ConfigEntry(name: $0.0, value: $0.1).settingText) })
        }
        try await settle(replicaID, in: .running)
      } catch {
        // Cancelled by shutdown: the state file keeps the state, and the next start makes it again.
        guard !Task.isCancelled else { return }
        await fail(replicaID, "making the read replica", error)
      }
    }
  }

  /// The password of the role standbys stream as, made on the primary the first time one is needed.
  /// Requests that need it at the same moment share one making: two would each set the role's password
  /// and store their own, and the stored one could then be the one the role does not have.
  func replicationPassword(for primary: ServiceRecord) async throws -> String {
    if let password = await state.service(primary.id)?.replicationPassword { return password }
    if let making = replicationRoleSetups[primary.id] { return try await making.value }
    let clusters = replication
    let making = Task<String, any Error> {
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
    replicationRoleSetups[primary.id] = making
    defer { replicationRoleSetups[primary.id] = nil }
    return try await making.value
  }
}
