import Dispatch
import Interpreter

#if canImport(Glibc)
  import Glibc
#endif

/// Turns signals into calls instead of letting them kill the process: Ctrl-C (SIGINT) interrupts
/// the running statement, so output is flushed, temporary files are removed and the exit code is 130;
/// the emulator stops its clusters before exiting on SIGINT or SIGTERM.
final class SignalWatcher {
  private let sources: [any DispatchSourceSignal]

  /// Calls `handler` on a background queue for each of `signals`.
  init(signals: [Int32], handler: @escaping @Sendable () -> Void) {
    sources = signals.map { number in
      signal(number, SIG_IGN)
      // A serial queue of its own (backed by an overcommitting thread): the global queue's threads can
      // all be busy running the script, and Ctrl-C must still get through.
      let source = DispatchSource.makeSignalSource(signal: number, queue: DispatchQueue(label: "mpg.signals"))
      source.setEventHandler(handler: handler)
      source.resume()
      return source
    }
  }

  /// Interrupts `interrupts` on Ctrl-C.
  convenience init(interrupts: InterruptState) {
    self.init(signals: [SIGINT]) { interrupts.interrupt() }
  }

  deinit {
    sources.forEach { $0.cancel() }
  }
}
