import Foundation

/// Runs independent pieces of work on a few threads of their own.
///
/// The work is mostly waiting for child processes (jq, mpg) to start and finish, so running a few at
/// a time keeps both cores busy. Dedicated threads, not Dispatch's shared pool, because each piece
/// blocks, and the process helpers read standard error on that pool.
enum Parallel {
  /// `body(0) … body(count - 1)` on up to `width` threads; the results (or the first error) in order.
  static func map<T: Sendable>(_ count: Int, width: Int = 3, _ body: @escaping @Sendable (Int) throws -> T) throws -> [T] {
    let state = State<T>(count: count)
    let finished = DispatchSemaphore(value: 0)
    let workers = min(width, count)
    for _ in 0..<workers {
      Thread {
        while let index = state.claim() {
          state.store(index, Result { try body(index) })
        }
        finished.signal()
      }.start()
    }
    for _ in 0..<workers { finished.wait() }
    return try state.collected()
  }

  private final class State<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var results: [Result<T, any Error>?]

    init(count: Int) {
      results = Array(repeating: nil, count: count)
    }

    func claim() -> Int? {
      lock.withLock {
        guard next < results.count else { return nil }
        defer { next += 1 }
        return next
      }
    }

    func store(_ index: Int, _ result: Result<T, any Error>) {
      lock.withLock { results[index] = result }
    }

    func collected() throws -> [T] {
      try lock.withLock { try results.map { try $0!.get() } }
    }
  }
}
