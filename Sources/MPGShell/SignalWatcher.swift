import Dispatch
import Interpreter

#if canImport(Glibc)
  import Glibc
#endif

/// Turns Ctrl-C (SIGINT) into an interruption of the running statement instead of killing the
/// process, so output is flushed, temporary files are removed and the exit code is 130.
final class SignalWatcher {
  private let source: any DispatchSourceSignal

  init(interrupts: InterruptState) {
    signal(SIGINT, SIG_IGN)
    source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    source.setEventHandler { interrupts.interrupt() }
    source.resume()
  }

  deinit {
    source.cancel()
  }
}
