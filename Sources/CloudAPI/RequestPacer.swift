#if canImport(Glibc)
  import Glibc
#endif

/// Keeps to the API's rate limit on the client side (10 requests per 10 s per key by default), so
/// long scripts wait a little instead of meeting 429s. A sliding window of send times, handed out in
/// the order they are asked for: concurrent senders (a `parallel for`, a wait, the prompt's refresh)
/// share the budget fairly, and none can starve another.
public actor RequestPacer {
  /// The most requests in any window, and the window's length in seconds; `nil` means no limit.
  public let rule: (requests: Int, seconds: Double)?
  /// The send time of each request in the window, oldest first; a time in the future is a slot
  /// promised to a sender that is still waiting for it.
  private var slots: [Double] = []
  /// No request is sent before this time (a 429 said the server's window is full until then).
  private var pausedUntil: Double = 0

  /// A pacer for `rule` (`nil`: never waits).
  public init(rule: (requests: Int, seconds: Double)?) {
    self.rule = rule
  }

  /// Waits until one more request fits in the window, then records it; returns its slot, for
  /// `finished`. `onWait` hears how long the wait will be before it starts (only when there is one).
  /// Cancellation ends the wait and gives the slot back.
  @discardableResult
  public func acquire(onWait: @Sendable (Double) -> Void = { _ in }) async throws -> Double {
    guard let rule else { return try await waitOutPause(onWait: onWait) }
    // The server counts a request when it arrives, a little after we send it: keep a margin so our
    // window never frees a slot before the server's does.
    let window = rule.seconds + max(0.2, rule.seconds * 0.05)
    while true {
      let now = Self.now()
      slots.removeAll { now - $0 >= window }
      var slot = max(now, pausedUntil)
      if slots.count >= rule.requests {
        slot = max(slot, slots[slots.count - rule.requests] + window + 0.01)
      }
      insert(slot)
      guard slot > now else { return slot }
      onWait(slot - now)
      do {
        try await Task.sleep(nanoseconds: UInt64(max(slot - now, 0.001) * 1e9))
      } catch {
        remove(slot)
        throw error
      }
      // A 429 seen meanwhile pauses everyone: a slot promised before it is taken again after it.
      guard pausedUntil > slot else { return slot }
      remove(slot)
    }
  }

  /// Without a rule of its own the client still honours the server's 429s.
  private func waitOutPause(onWait: @Sendable (Double) -> Void) async throws -> Double {
    while true {
      let now = Self.now()
      guard pausedUntil > now else { return now }
      onWait(pausedUntil - now)
      try await Task.sleep(nanoseconds: UInt64((pausedUntil - now) * 1e9))
    }
  }

  /// Moves the slot taken at `start` to now, once its request is answered: the server counted it
  /// somewhere in between (a first request can spend most of a second on connecting), so the
  /// window runs from the later end.
  public func finished(_ start: Double) {
    guard rule != nil, let index = slots.firstIndex(of: start) else { return }
    slots.remove(at: index)
    insert(Self.now())
  }

  /// Sends nothing more for `seconds`: the server answered 429, so its window is full whatever ours
  /// says. Every sender of the key waits, not only the one that was refused.
  public func pause(for seconds: Double) {
    pausedUntil = max(pausedUntil, Self.now() + seconds)
  }

  /// How long sending is paused after a 429, from now (0 when it is not).
  public var pauseRemaining: Double { max(0, pausedUntil - Self.now()) }

  private func insert(_ slot: Double) {
    let index = slots.lastIndex { $0 <= slot }.map { $0 + 1 } ?? 0
    slots.insert(slot, at: index)
  }

  private func remove(_ slot: Double) {
    if let index = slots.firstIndex(of: slot) { slots.remove(at: index) }
  }

  /// Seconds on the monotonic clock.
  public static func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
  }
}
