import Logging

/// Takes every running primary's base backups: the first `delay` seconds after the emulator first sees it
/// running, then one every `interval`, keeping the newest `keptBackups` and the archived WAL from the oldest
/// of them on.
///
/// One loop looks at the services a few times a second rather than a timer per service, so a service
/// that restarts, is promoted or is restored needs no bookkeeping of its own, and shutdown cancels one
/// task. The backups themselves run in the service's `ServiceWork` queue, after (never during) a restart
/// or a resize.
actor BackupSchedule {
  private let state: EmulatorState
  private let clusters: (any ReplicationBackend)?
  private let work: ServiceWork
  private let delay: Double
  private let interval: Double
  private let logger: Logger
  /// When the loop first saw each running primary without backups.
  private var firstSeenRunning: [String: Double] = [:]
  /// Services with a backup queued or running.
  private var inFlight: Set<String> = []
  /// After a failed backup: no new attempt before this moment.
  private var retryAt: [String: Double] = [:]
  private var loop: Task<Void, Never>?

  /// How many base backups each service keeps.
  static let keptBackups = 7
  /// How often the loop looks.
  static let tick = Duration.milliseconds(200)

  init(
    state: EmulatorState, clusters: (any ReplicationBackend)?, work: ServiceWork, delay: Double, interval: Double, logger: Logger
  ) {
    self.state = state
    self.clusters = clusters
    self.work = work
    self.delay = delay
    self.interval = interval
    self.logger = logger
  }

  /// Starts the loop.
  func start() {
    guard loop == nil else { return }
    loop = Task { [weak self] in
      while !Task.isCancelled {
        await self?.look()
        try? await Task.sleep(for: Self.tick)
      }
    }
  }

  /// Stops the loop (backups already queued end with the service work).
  func stop() async {
    loop?.cancel()
    await loop?.value
  }

  private func look() async {
    let now = Timestamp.seconds()
    let primaries = await state.services.filter { $0.state == .running && $0.isPrimary }
    firstSeenRunning = firstSeenRunning.filter { entry in primaries.contains { $0.id == entry.key } }
    for service in primaries where !inFlight.contains(service.id) {
      let due: Double
      if let last = service.backups.last {
        due = last.finishedAt + interval
      } else {
        let seen = firstSeenRunning[service.id] ?? now
        firstSeenRunning[service.id] = seen
        due = seen + delay
      }
      guard now >= max(due, retryAt[service.id] ?? 0) else { continue }
      inFlight.insert(service.id)
      let id = service.id
      await work.enqueue(id) { [self] in
        await self.backUp(id)
      }
    }
  }

  /// Takes one backup of `serviceID` if it is still a running primary, then drops the oldest beyond
  /// `keptBackups`.
  private func backUp(_ serviceID: String) async {
    defer { inFlight.remove(serviceID) }
    guard let clusters, let service = await state.service(serviceID), service.state == .running, service.isPrimary else { return }
    let key = "base_" + Timestamp.compact(Timestamp.seconds())
    do {
      try await clusters.takeBaseBackup(serviceID: serviceID, named: key)
      var dropped: [BackupRecord] = []
      var oldestKept: BackupRecord?
      try await state.update(serviceID) { record in
        record.backups.append(BackupRecord(key: key, finishedAt: Timestamp.seconds()))
        dropped = Array(record.backups.dropLast(Self.keptBackups))
        record.backups.removeFirst(dropped.count)
        oldestKept = record.backups.first
      }
      for backup in dropped { try? await clusters.removeBaseBackup(serviceID: serviceID, named: backup.key) }
      // No restore can start before the oldest kept backup: the WAL before it goes too.
      if !dropped.isEmpty, let oldestKept {
        do {
          try await clusters.pruneArchive(serviceID: serviceID, before: oldestKept.key)
        } catch {
          logger.notice("service \(serviceID): pruning the WAL archive failed: \(error)")
        }
      }
      retryAt[serviceID] = nil
    } catch {
      guard !Task.isCancelled else { return }
      logger.error("service \(serviceID): base backup failed: \(error)")
      retryAt[serviceID] = Timestamp.seconds() + max(delay, 5)
    }
  }
}
