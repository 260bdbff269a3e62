import PostgresAPISpec

extension ServiceLifecycle {
  /// `promote`: the replica stops following its primary and becomes a writable primary of its own
  /// (`pg_promote`), passing through `restarting`; `isPrimary` turns true when it is done.
  func promote(_ service: ServiceRecord) async throws -> ServiceRecord {
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
    return updated
  }

  func startPromotion(_ serviceID: String) async {
    let clusters = replication
    await work.enqueue(serviceID) { [self] in
      do {
        try await clusters?.promote(serviceID: serviceID)
        try await settle(serviceID, in: .running) { $0.isPrimary = true }
      } catch {
        // Cancelled by shutdown: the state file keeps `restarting`, and the next start finishes it.
        guard !Task.isCancelled else { return }
        await fail(serviceID, "the promotion", error)
      }
    }
  }

  /// `switchover`: a service with a standby (haType async or sync) hands over to it and stays at the same
  /// address. The emulator builds the standby when asked — from the latest base backup, streaming until
  /// it has caught up — stops the primary cleanly, lets the standby replay its last WAL, promotes it and
  /// serves the service's address from it (a new timeline); the old primary's data is discarded rather than
  /// kept as the next standby. Without a standby (haType none, and every read replica) there is nothing to
  /// switch to: 400.
  func switchover(_ service: ServiceRecord) async throws -> ServiceRecord {
    guard service.parentID == nil, service.isPrimary, service.haType != "none" else {
      throw APIError.badRequest(
        "Postgres service \(service.id) has haType none and so no standby to switch over to; set haType to async or sync first")
    }
    try requireRunning(service)
    guard !service.backups.isEmpty else {
      throw APIError.badRequest("Postgres service \(service.id) has no backup yet to make its standby from; try again shortly")
    }
    let password = try await replicationPassword(for: service)
    let updated = try await state.update(service.id) { record in
      try record.beginRestart(refusing: "only a running service can switch over")
    }
    guard let updated else { throw APIError.invalidServiceID(service.id) }
    let clusters = replication
    await work.enqueue(service.id) { [self] in
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
        try await settle(service.id, in: .running)
      } catch {
        guard !Task.isCancelled else { return }
        logger.error("service \(service.id): switchover failed: \(error)")
        // The hand-over puts the old primary back when it fails; the service runs on.
        try? await settle(service.id, in: .running)
      }
    }
    return updated
  }
}
