import Foundation
import Synchronization

/// Ends the test process, naming the input, when one case runs longer than `limit`. A parser that
/// loops forever would otherwise stall the whole run without saying which input caused it; the
/// check runs on its own thread because the looping one never yields.
final class HangWatchdog: Sendable {
  private struct Watch {
    var label: String
    var started: ContinuousClock.Instant
  }

  private let current = Mutex<Watch?>(nil)
  private let stopped = Atomic<Bool>(false)

  /// Starts watching; call `stop` when the cases are done.
  init(limit: Duration) {
    let thread = Thread { [self] in
      while !stopped.load(ordering: .relaxed) {
        Thread.sleep(forTimeInterval: 0.5)
        let watch = current.withLock { $0 }
        if let watch, watch.started.duration(to: .now) > limit {
          print("hang: \(watch.label) ran for more than \(limit)")
          abort()
        }
      }
    }
    thread.start()
  }

  /// Marks the start of a case; `label` says how to replay it.
  func begin(_ label: String) {
    let watch = Watch(label: label, started: .now)
    current.withLock { $0 = watch }
  }

  /// Marks that no case is running.
  func end() {
    current.withLock { $0 = nil }
  }

  /// Ends the watching thread.
  func stop() {
    stopped.store(true, ordering: .relaxed)
  }
}
