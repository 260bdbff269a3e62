/// Samples the statistics of every running service periodically and keeps the samples in memory, for
/// `GET …/metrics`. Samples live as long as the emulator process (a restart starts a new history) and at
/// most `retention` seconds.
actor MetricsSampler {
  /// One sample: what `ServiceStatistics` read, reduced to the metrics the API reports.
  struct Sample: Sendable {
    var time: Double
    var activeConnections: Double
    var idleConnections: Double
    var connections: Double
    var commits: Double
    var rollbacks: Double
    var rowsReturned: Double
    var rowsFetched: Double
    var rowsInserted: Double
    var rowsUpdated: Double
    var rowsDeleted: Double
    var blocksRead: Double
    var blocksHit: Double
    var databaseSizes: [(name: String, bytes: Double)]

    init(_ statistics: ServiceStatistics) {
      time = statistics.time
      activeConnections = statistics.connectionsByState.filter { $0.state == "active" }.reduce(0) { $0 + $1.count }
      idleConnections = statistics.connectionsByState.filter { $0.state == "idle" }.reduce(0) { $0 + $1.count }
      connections = statistics.connections
      commits = statistics.total(\.commits)
      rollbacks = statistics.total(\.rollbacks)
      rowsReturned = statistics.total(\.rowsReturned)
      rowsFetched = statistics.total(\.rowsFetched)
      rowsInserted = statistics.total(\.rowsInserted)
      rowsUpdated = statistics.total(\.rowsUpdated)
      rowsDeleted = statistics.total(\.rowsDeleted)
      blocksRead = statistics.total(\.blocksRead)
      blocksHit = statistics.total(\.blocksHit)
      databaseSizes = statistics.databases.map { ($0.name, $0.sizeBytes) }
    }
  }

  /// Seconds between two samples of a service.
  let interval: Double
  /// How long samples are kept.
  let retention: Double
  private var samples: [String: [Sample]] = [:]
  private var loop: Task<Void, Never>?

  init(interval: Double, retention: Double = 86400) {
    self.interval = max(0.05, interval)
    self.retention = retention
  }

  /// Starts sampling the running services of `state` every `interval` seconds.
  func start(state: EmulatorState, clusters: LocalClusters) {
    guard loop == nil else { return }
    let interval = interval
    loop = Task { [weak self] in
      while !Task.isCancelled {
        await self?.sampleOnce(state: state, clusters: clusters)
        try? await Task.sleep(nanoseconds: UInt64(interval * 1e9))
      }
    }
  }

  /// Stops sampling and waits for a sample under way.
  func stop() async {
    loop?.cancel()
    await loop?.value
    loop = nil
  }

  /// Reads every running service once (concurrently) and drops what is past the retention or belongs to
  /// services that are gone.
  func sampleOnce(state: EmulatorState, clusters: LocalClusters) async {
    let services = await state.services
    let running = services.filter { $0.state == .running }.map(\.id)
    let readings = await withTaskGroup(of: (String, Sample?).self) { group in
      for id in running {
        group.addTask {
          let statistics = try? await ServiceStatistics.read(serviceID: id, from: clusters)
          return (id, statistics.map(Sample.init))
        }
      }
      var readings: [(String, Sample?)] = []
      for await reading in group { readings.append(reading) }
      return readings
    }
    let known = Set(services.map(\.id))
    samples = samples.filter { known.contains($0.key) }
    for case (let id, let sample?) in readings {
      var history = samples[id, default: []]
      history.append(sample)
      if let first = history.first, sample.time - first.time > retention {
        history.removeAll { sample.time - $0.time > retention }
      }
      samples[id] = history
    }
  }

  /// A service's samples, oldest first.
  func history(of serviceID: String) -> [Sample] {
    samples[serviceID] ?? []
  }
}
