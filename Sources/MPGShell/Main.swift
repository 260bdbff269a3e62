import CloudAPI
import Dispatch
import JQ

#if canImport(Glibc)
  import Glibc
#endif

/// The process's entry point. It is synchronous so that a script starts straight on the API client's
/// event loop thread: an `async` main would first hand it to the concurrency runtime's threads (three of
/// them started for a one-request `mpg -c list`, each start and hand-over costing time on a busy machine).
@main
enum Main {
  static func main() {
    JQAllocation.useOneArena()
    // The usual command lines skip argument-parser's reflection (a few ms of every start).
    if let invocation = quickInvocation() {
      // The prompt blocks its thread reading lines, so it must not take the client's loop.
      runToExit(on: invocation.isInteractive ? nil : CloudClient.taskExecutor) { await MPG.run(invocation) }
    }
    runToExit(on: nil) { await MPG.run(parsing: Array(CommandLine.arguments.dropFirst())) }
  }

  /// The invocation the usual command lines ask for. The argument array lives only in here: a value
  /// still held by `main` when it calls a function that never returns is never released, and at exit
  /// leak checkers rightly find it lost.
  private static func quickInvocation() -> Invocation? {
    QuickCommandLine.parse(Array(CommandLine.arguments.dropFirst()))
  }

  /// Starts `body` on `executor` (the default executor when `nil`) and parks this thread; `body` ends the
  /// process.
  private static func runToExit(on executor: (any TaskExecutor)?, _ body: @escaping @Sendable () async -> Never) -> Never {
    Task(executorPreference: executor) { await body() }
    // Parked the way an `async` main parks it, so signals reach their handlers as before (Ctrl-C at the
    // prompt is noted by a handler that this thread runs).
    dispatchMain()
  }
}
