import Synchronization

/// Service ids and names for completion, refreshed in the background at most every 10 s, so Tab
/// never waits for the network: it offers what was last seen.
final class ServiceCache: Sendable {
  struct Service: Sendable {
    var id: String
    var name: String
  }

  private let state = Mutex<(services: [Service], refreshedAt: Double, refreshing: Bool)>(([], -1e9, false))
  private let fetch: @Sendable () async -> [Service]?

  /// A cache that lists services with `fetch` (which returns `nil` when it cannot).
  init(fetch: @escaping @Sendable () async -> [Service]?) {
    self.fetch = fetch
  }

  /// What was last seen.
  func snapshot() -> [Service] {
    state.withLock { $0.services }
  }

  /// Starts a refresh unless one ran in the last `interval` seconds or one is running.
  func refreshIfStale(now: Double, interval: Double = 10) {
    let start = state.withLock { state -> Bool in
      guard !state.refreshing, now - state.refreshedAt >= interval else { return false }
      state.refreshing = true
      return true
    }
    guard start else { return }
    let fetch = self.fetch
    Task {
      let services = await fetch()
      state.withLock { state in
        // Not connected yet: try again after the next entry rather than in 10 s.
        if let services {
          state.services = services
          state.refreshedAt = now
        }
        state.refreshing = false
      }
    }
  }
}
