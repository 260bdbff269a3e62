import PostgresAPISpec

extension ServiceLifecycle {
  /// After a restart of the emulator: every transition the last run cut short is finished or made
  /// again, from what the state file says.
  func reconcile() async {
    await reconcileServices()
    await reconcileReplicas()
    await reconcileRestores()
  }

  /// Running services get their clusters started again (a restart or a size/haType change that was cut
  /// short ends there, in `running`), creates that were cut short are provisioned again from scratch,
  /// deletes are finished.
  private func reconcileServices() async {
    for service in await state.services {
      switch service.state {
      case .deleting:
        await startRemoval(service.id)
      case .creating:
        await startProvisioning(service)
      case .running, .restarting:
        do {
          try await clusters?.start(serviceID: service.id)
          try? await settle(service.id, in: .running)
        } catch {
          await fail(service.id, "starting the cluster again", error)
        }
      default:
        break
      }
    }
  }

  /// Replicas cut short while being made are made again; promotions cut short are finished.
  private func reconcileReplicas() async {
    for service in await state.services {
      if service.parentID != nil, service.state.isRestoring {
        await startReplica(service.id)
      } else if !service.isPrimary, service.parentID == nil, [.running, .restarting].contains(service.state) {
        try? await settle(service.id, in: .restarting)
        await startPromotion(service.id)
      }
    }
  }

  /// Restores cut short by a restart of the emulator start again from the backup.
  private func reconcileRestores() async {
    for service in await state.services where service.restoreSource != nil {
      guard service.state.isRestoring || service.state == .finalizingRestore else { continue }
      guard let sourceID = service.restoreSource,
        let target = service.restoreTarget.flatMap({ RFC3339.seconds($0, allowingSpace: true) }),
        let backup = await state.service(sourceID)?.backups.last(where: { $0.finishedAt <= target })
      else {
        logger.error("service \(service.id): the restore cannot be made again: its source or backup is gone")
        try? await settle(service.id, in: .unavailable)
        continue
      }
      await startRestore(service.id, backup: backup.key)
    }
  }
}
