#if canImport(Glibc)
  import Glibc
#endif

/// Keeps to the API's rate limit on the client side (10 requests per 10 s per key by default), so
/// long scripts wait a little instead of meeting 429s. A sliding window of send times.
public actor RequestPacer {
  /// The most requests in any window, and the window's length in seconds; `nil` means no limit.
  public let rule: (requests: Int, seconds: Double)?
  private var sent: [Double] = []

  /// A pacer for `rule` (`nil`: never waits).
  public init(rule: (requests: Int, seconds: Double)?) {
    self.rule = rule
  }

  /// Waits until one more request fits in the window, then records it. `onWait` hears how long the
  /// wait will be before it starts (only when there is one). Cancellation ends the wait.
  @discardableResult
  public func acquire(onWait: @Sendable (Double) -> Void = { _ in }) async throws -> Double {
    guard let rule else { return 0 }
    // The server counts a request when it arrives, a little after we send it: keep a margin so our
    // window never frees a slot before the server's does.
    let window = rule.seconds + max(0.2, rule.seconds * 0.05)
    while true {
      let now = Self.now()
      sent.removeAll { now - $0 >= window }
      if sent.count < rule.requests {
        sent.append(now)
        return now
      }
      let wait = sent[0] + window - now + 0.01
      onWait(wait)
      try await Task.sleep(nanoseconds: UInt64(max(wait, 0.001) * 1e9))
    }
  }

  /// Moves the slot taken at `start` to now, once its request is answered: the server counted it
  /// somewhere in between (a first request can spend most of a second on connecting), so the
  /// window runs from the later end.
  public func finished(_ start: Double) {
    guard rule != nil, let index = sent.firstIndex(of: start) else { return }
    sent[index] = Self.now()
  }

  /// Seconds on the monotonic clock.
  public static func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
  }
}
