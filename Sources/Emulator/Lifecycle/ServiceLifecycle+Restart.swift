import PostgresAPISpec

extension ServiceLifecycle {
  /// `restart`: passes through `restarting` back to `running` with a real restart of the cluster.
  func restart(_ serviceID: String) async throws -> ServiceRecord {
    let updated = try await state.update(serviceID) { record in
      try record.beginRestart(refusing: "only a running service can be restarted")
    }
    guard let updated else { throw APIError.invalidServiceID(serviceID) }
    await startRestart(serviceID, after: provisionDelay, doing: "the restart")
    return updated
  }

  /// A JSON merge patch of name, size, haType, tags (`tags` replaces the whole list) and access rules. A
  /// new size or haType moves the service to a new instance: it passes through `restarting` back to
  /// `running`.
  func patch(_ service: ServiceRecord, with request: PatchRequest) async throws -> ServiceRecord {
    try Self.refuseChange(of: service)
    var changesInstance = false
    let updated = try await state.update(service.id) { record in
      guard record.state != .deleting else { throw APIError.badRequest("Postgres service \(record.id) is being deleted") }
      changesInstance = (request.size.map { $0 != record.size } ?? false) || (request.haType.map { $0 != record.haType } ?? false)
      if changesInstance {
        try record.beginRestart(refusing: "size and haType change only on a running service")
      }
      if let name = request.name { record.name = name }
      if let size = request.size {
        record.size = size
        record.storageSize = PostgresSpec.storageSize(for: size) ?? record.storageSize
      }
      if let haType = request.haType { record.haType = haType }
      if let tags = request.tags { record.tags = tags }
      if let change = request.ipAccessList {
        // Removals first, then additions; a removal must name a rule the service has.
        for id in change.remove where !record.ipAccessList.contains(where: { $0.id == id }) {
          throw APIError.badRequest("request body: ipAccessList.remove names no rule of Postgres service \(record.id): \(id)")
        }
        record.ipAccessList.removeAll { change.remove.contains($0.id) }
        record.ipAccessList += change.add.map(Self.newRule)
      }
    }
    guard let updated else { throw APIError.invalidServiceID(service.id) }
    if request.ipAccessList != nil, updated.state != .creating {
      // A service still being created gets its rules when its cluster starts.
      try await clusters?.allowConnections(serviceID: service.id, from: updated.allowedSources)
    }
    // Live, the service moves to a new instance that catches up with the old one and then takes over,
    // which drops connections once; here the transition ends with a real restart of the same cluster.
    if changesInstance { await startRestart(service.id, after: transitionDuration, doing: "the size or haType change") }
    return updated
  }

  /// The end of a transition through `restarting`: after `delay` (the cloud's take minutes), a real
  /// restart of the cluster, then `running`.
  private func startRestart(_ serviceID: String, after delay: Double, doing what: String) async {
    await work.enqueue(serviceID) { [self] in
      do {
        if delay > 0 { try await Task.sleep(nanoseconds: UInt64(delay * 1e9)) }
        try await clusters?.restart(serviceID: serviceID)
        try await settle(serviceID, in: .running)
      } catch {
        // Cancelled by shutdown: the state file keeps `restarting`, and the next start finishes it.
        guard !Task.isCancelled else { return }
        await fail(serviceID, what, error)
      }
    }
  }

  /// PATCH of a service or its password: a replica follows its primary and takes no changes of its own.
  static func refuseChange(of service: ServiceRecord) throws {
    if service.parentID != nil {
      throw APIError.badRequest("Read replicas cannot be modified directly! Please modify the parent database instead.")
    }
  }
}
