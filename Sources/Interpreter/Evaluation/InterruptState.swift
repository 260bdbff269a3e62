import JQ
import Synchronization

/// Ctrl-C as the interpreter sees it: a flag set from the signal watcher's thread, and the jq
/// program running at that moment, which is halted so even `last(range(1e10))` stops at once.
public final class InterruptState: Sendable {
  private let state = Mutex<
    (interrupted: Bool, running: ExpressionBatch?, cancellers: [Int: @Sendable () -> Void], nextToken: Int)
  >((false, nil, [:], 0))

  /// A state with no interruption pending.
  public init() {}

  /// Marks the run interrupted and halts the jq program in progress; safe from any thread.
  public func interrupt() {
    let (running, cancellers) = state.withLock { state in
      state.interrupted = true
      return (state.running, Array(state.cancellers.values))
    }
    running?.requestHalt()
    cancellers.forEach { $0() }
  }

  /// Clears a pending interruption (the REPL does this before each entry).
  public func reset() {
    state.withLock { $0.interrupted = false }
  }

  /// Whether an interruption is pending.
  public var isInterrupted: Bool {
    state.withLock { $0.interrupted }
  }

  /// Throws when an interruption is pending.
  func check() throws(Interruption) {
    if isInterrupted { throw Interruption() }
  }

  /// Calls `cancel` on the next interruption (at once if one is pending) until the token is released.
  func onInterrupt(_ cancel: @escaping @Sendable () -> Void) -> Int {
    let (token, pending) = state.withLock { state in
      state.nextToken += 1
      state.cancellers[state.nextToken] = cancel
      return (state.nextToken, state.interrupted)
    }
    if pending { cancel() }
    return token
  }

  /// Stops calling the canceller registered under `token`.
  func release(_ token: Int) {
    _ = state.withLock { $0.cancellers.removeValue(forKey: token) }
  }

  /// Records the jq program about to run (or `nil` when it finished).
  func running(_ batch: ExpressionBatch?) {
    state.withLock { $0.running = batch }
  }
}
