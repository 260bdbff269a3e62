extension ServiceLifecycle {
  /// DELETE: the service shows `deleting` until its cluster is gone, then answers 404. A DELETE of a
  /// service already being deleted succeeds and changes nothing; a primary with replicas stays until
  /// they are gone.
  func delete(_ service: ServiceRecord) async throws {
    try await refuseDeletionWithReplicas(service)
    var alreadyDeleting = false
    try await state.update(service.id) { record in
      alreadyDeleting = record.state == .deleting
      try record.move(to: .deleting)
    }
    if !alreadyDeleting { await startRemoval(service.id) }
  }

  private func refuseDeletionWithReplicas(_ service: ServiceRecord) async throws {
    let replicas = await state.replicas(of: service.id)
    guard !replicas.isEmpty else { return }
    let names = replicas.map { "\($0.name) (\($0.id))" }.joined(separator: ", ")
    throw APIError.conflict("Postgres service \(service.id) has read replicas: \(names). Delete them first.")
  }

  /// Removes the cluster once the service's earlier work (a create still running, say) is done.
  func startRemoval(_ serviceID: String) async {
    await work.enqueue(serviceID) { [self] in
      do {
        try await clusters?.remove(serviceID: serviceID)
      } catch {
        // Cancelled by shutdown: the state file keeps `deleting`, and the next start finishes it.
        guard !Task.isCancelled else { return }
        logger.error("service \(serviceID): removing the cluster failed: \(error)")
      }
      try? await state.remove(serviceID)
    }
  }
}
