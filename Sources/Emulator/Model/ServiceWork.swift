/// The background work of every service — provisioning, restarts, resizes, removal — run one job after
/// another per service.
///
/// A DELETE sent while the cluster is still being created must wait for the create rather than race it
/// (the race left a PostgreSQL server running for a deleted service), and a restart must not stop a
/// cluster a resize is starting. Shutdown cancels what is queued and waits, so no job starts a cluster
/// after the emulator stopped its clusters.
actor ServiceWork {
  private var tails: [String: (generation: Int, task: Task<Void, Never>)] = [:]
  private var generation = 0
  private var isShutDown = false

  /// Queues `job` behind the service's earlier jobs. After `cancelAll()` jobs are dropped: the state
  /// file keeps the transition, and the next start reconciles it.
  func enqueue(_ serviceID: String, _ job: @escaping @Sendable () async -> Void) {
    guard !isShutDown else { return }
    generation += 1
    let mine = generation
    let previous = tails[serviceID]?.task
    let task = Task {
      await previous?.value
      if !Task.isCancelled { await job() }
      self.finished(serviceID, generation: mine)
    }
    tails[serviceID] = (mine, task)
  }

  /// Waits until the service's queued jobs have run (tests and reconciliation).
  func waitUntilIdle(_ serviceID: String) async {
    while let tail = tails[serviceID] { await tail.task.value }
  }

  /// Cancels every queued and running job and waits for them to end.
  func cancelAll() async {
    isShutDown = true
    let running = tails.values.map(\.task)
    for task in running { task.cancel() }
    for task in running { await task.value }
  }

  private func finished(_ serviceID: String, generation: Int) {
    if tails[serviceID]?.generation == generation { tails[serviceID] = nil }
  }
}
