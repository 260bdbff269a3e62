import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Keeps to the API's rate limit on the client side (10 requests per 10 s per key by default), so
/// long scripts wait a little instead of meeting 429s. A sliding window of send times, handed out in
/// the order they are asked for: concurrent senders (a `parallel for`, a wait, the prompt's refresh)
/// share the budget fairly, and none can starve another.
///
/// Slots are reserved under a lock and waited for in the sender's own task, so `onWait` runs where
/// the request is being sent (its trace goes to that command's output).
public final class RequestPacer: Sendable {
  /// The most requests in any window, and the window's length in seconds; `nil` means no limit.
  public let rule: (requests: Int, seconds: Double)?

  private struct State {
    /// The send time of each request in the window, oldest first; a time in the future is a slot
    /// promised to a sender that is still waiting for it.
    var slots: [Double] = []
    /// No request is sent before this time (a 429 said the server's window is full until then).
    var pausedUntil: Double = 0
  }

  private let state = Mutex(State())

  /// A pacer for `rule` (`nil`: never waits, except after a 429).
  public init(rule: (requests: Int, seconds: Double)?) {
    self.rule = rule
  }

  /// Waits until one more request fits in the window, then records it; returns its slot, for
  /// `finished`. `onWait` hears how long the wait will be before it starts (only when there is one).
  /// Cancellation ends the wait and gives the slot back.
  @discardableResult
  public func acquire(onWait: (Double) -> Void = { _ in }) async throws -> Double {
    while true {
      let now = Self.now()
      let slot = state.withLock { reserve(&$0, now: now) }
      guard slot > now else { return slot }
      onWait(slot - now)
      do {
        try await Task.sleep(nanoseconds: UInt64(max(slot - now, 0.001) * 1e9))
      } catch {
        state.withLock { Self.remove(slot, from: &$0) }
        throw error
      }
      // A 429 seen meanwhile pauses everyone: a slot promised before it is taken again after it.
      let keep = state.withLock { state in
        guard state.pausedUntil > slot else { return true }
        Self.remove(slot, from: &state)
        return false
      }
      if keep { return slot }
    }
  }

  /// The earliest time one more request may go, recorded as taken.
  private func reserve(_ state: inout State, now: Double) -> Double {
    var slot = max(now, state.pausedUntil)
    guard let rule else { return slot }
    // The server counts a request when it arrives, a little after we send it: keep a margin so our
    // window never frees a slot before the server's does.
    let window = rule.seconds + max(0.2, rule.seconds * 0.05)
    state.slots.removeAll { now - $0 >= window }
    if state.slots.count >= rule.requests {
      slot = max(slot, state.slots[state.slots.count - rule.requests] + window + 0.01)
    }
    Self.insert(slot, into: &state)
    return slot
  }

  /// Moves the slot taken at `start` to now, once its request is answered: the server counted it
  /// somewhere in between (a first request can spend most of a second on connecting), so the
  /// window runs from the later end.
  public func finished(_ start: Double) {
    guard rule != nil else { return }
    state.withLock { state in
      guard let index = state.slots.firstIndex(of: start) else { return }
      state.slots.remove(at: index)
      Self.insert(Self.now(), into: &state)
    }
  }

  /// Sends nothing more for `seconds`: the server answered 429, so its window is full whatever ours
  /// says. Every sender of the key waits, not only the one that was refused.
  public func pause(for seconds: Double) {
    let until = Self.now() + seconds
    state.withLock { $0.pausedUntil = max($0.pausedUntil, until) }
  }

  private static func insert(_ slot: Double, into state: inout State) {
    let index = state.slots.lastIndex { $0 <= slot }.map { $0 + 1 } ?? 0
    state.slots.insert(slot, at: index)
  }

  private static func remove(_ slot: Double, from state: inout State) {
    if let index = state.slots.firstIndex(of: slot) { state.slots.remove(at: index) }
  }

  /// Seconds on the monotonic clock.
  public static func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
  }
}
