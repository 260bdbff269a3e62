import Synchronization

/// How many `/v1` requests the emulator has received, counted before authentication or any fault, so
/// tests can prove that a client refused a mistake without sending anything.
final class RequestCounter: Sendable {
  private let count = Atomic<Int>(0)
  private let limited = Atomic<Int>(0)

  /// Counts one request.
  func record() {
    count.add(1, ordering: .relaxed)
  }

  /// Counts one request refused by the rate limit (429).
  func recordRateLimited() {
    limited.add(1, ordering: .relaxed)
  }

  /// The requests received so far.
  var total: Int { count.load(ordering: .relaxed) }

  /// The requests the rate limit refused so far.
  var rateLimited: Int { limited.load(ordering: .relaxed) }
}
