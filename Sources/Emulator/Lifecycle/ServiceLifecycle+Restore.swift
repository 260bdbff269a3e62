import PostgresAPISpec

/// Point-in-time restore makes a new service from the source's latest base backup at or before
/// `restoreTarget` and replays the source's archived WAL up to that moment (`recovery_target_time`), then
/// promotes it. States: `restoring_backup` (the copy), `replaying_wal` (recovery), `finalizing_restore`
/// (recovery settings dropped, the source's current password set), `running`. The source is not changed,
/// beyond one WAL segment switch that puts its latest writes into the archive.
extension ServiceLifecycle {
  /// A new service restored from `source` as it was at the request's target.
  func restore(_ source: ServiceRecord, _ request: RestoreRequest) async throws -> ServiceRecord {
    guard let target = RFC3339.seconds(request.restoreTarget) else {
      throw APIError.badRequest("request body: restoreTarget \(request.restoreTarget) is not an RFC 3339 date-time")
    }
    let now = Timestamp.seconds()
    guard target <= now else {
      throw APIError.badRequest(
        "restoreTarget \(request.restoreTarget) is in the future; the latest moment to restore to is now (\(Timestamp.now()))")
    }
    guard let earliest = source.backups.first else {
      throw APIError.badRequest("Postgres service \(source.id) has no backups yet, so there is nothing to restore from")
    }
    guard let backup = source.backups.last(where: { $0.finishedAt <= target }) else {
      throw APIError.badRequest(
        "restoreTarget \(request.restoreTarget) is before the earliest restore time of Postgres service \(source.id), \(earliest.lastModified)"
      )
    }
    // Its latest WAL must reach the archive, which only a running cluster does.
    try requireRunning(source)
    try requireInstalled(source.postgresVersion)
    var record = ServiceRecord(
      id: Identifiers.uuid(), name: request.name, provider: source.provider, region: source.region,
      postgresVersion: source.postgresVersion, size: source.size, haType: source.haType, tags: request.tags,
      storageSize: source.storageSize, hostname: await nextAddress(), port: 5432, password: source.password)
    try record.move(to: .restoringBackup)
    record.restoreSource = source.id
    // Made from the source's backup, whose pg_hba.conf holds the source's rules.
    record.ipAccessList = source.ipAccessList
    record.restoreTarget = Timestamp.postgresUTC(target)
    record.pgConfig = (request.pgConfig ?? []).map { ($0.name, $0.value) }
    record.pgBouncerConfig = (request.pgBouncerConfig ?? []).map { ($0.name, $0.value) }
    try await state.insert(record)
    await startRestore(record.id, backup: backup.key)
    return record
  }

  /// Copies the backup, replays the archive up to the target and finishes the new service.
  func startRestore(_ serviceID: String, backup: String) async {
    let clusters = replication
    let settings = self.clusters
    await work.enqueue(serviceID) { [self] in
      do {
        guard let record = await state.service(serviceID), let sourceID = record.restoreSource, let target = record.restoreTarget
        else { return }
        try await settle(serviceID, in: .restoringBackup)
        guard let clusters else {
          try await settle(serviceID, in: .running)
          return
        }
        try await clusters.archiveCurrentWAL(serviceID: sourceID)
        let tls = try authority.issueServerCertificate(address: record.hostname, hostnames: ["localhost"])
        let endpoint = try await clusters.createFromBackup(
          serviceID: serviceID, sourceID: sourceID, backup: backup, address: record.hostname, tls: tls,
          recovery: .pointInTime(target: target))
        try await settle(serviceID, in: .replayingWAL) {
          $0.hostname = endpoint.host; $0.port = endpoint.port
        }
        try await clusters.startRecovery(serviceID: serviceID, asStandby: false)
        try await settle(serviceID, in: .finalizingRestore)
        try await clusters.finishRestore(serviceID: serviceID)
        // The data is from the target moment; the password is the source's as it is now.
        let password = await state.service(sourceID)?.password ?? record.password
        try await settings?.setPassword(serviceID: serviceID, password)
        if !record.pgConfig.isEmpty {
          _ = try await settings?.apply(
            serviceID: serviceID, settings: record.pgConfig.map { ($0.0, ConfigEntry(name: $0.0, value: $0.1).settingText) })
        }
        try await settle(serviceID, in: .running) { $0.password = password }
      } catch {
        // Cancelled by shutdown: the state file keeps the state, and the next start restores again.
        guard !Task.isCancelled else { return }
        await fail(serviceID, "the restore", error)
      }
    }
  }
}
