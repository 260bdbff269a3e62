import NIOCore

/// Runs tasks on one NIO event loop, so async code that waits for NIO resumes on the thread that
/// completed the wait instead of being handed to another thread.
///
/// async-http-client's requests and Hummingbird's connections are NIO channels serving async code: with
/// the default executor, every request of a 1,000-`get` loop took about eight thread hand-overs between
/// the channel's loop and the concurrency runtime's threads. With the loop as the tasks' executor
/// (`withTaskExecutorPreference`), a continuation is queued on the thread already running.
public final class EventLoopTaskExecutor: TaskExecutor {
  /// The loop every job runs on.
  public let loop: any EventLoop

  /// An executor that runs every job on `loop`.
  public init(loop: any EventLoop) {
    self.loop = loop
  }

  /// Runs `job` on the loop (at once in the loop's current tick when called from the loop itself).
  public func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
  }
}
