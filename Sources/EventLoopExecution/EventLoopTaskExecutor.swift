import NIOCore

/// Runs tasks on the event loops of one NIO group, so async code that waits for NIO resumes on the
/// thread that completed the wait instead of being handed to another thread.
///
/// async-http-client's requests and Hummingbird's connections are NIO channels serving async code: with
/// the default executor, every request of a 1,000-`get` loop took about eight thread hand-overs between
/// a channel's loop and the concurrency runtime's threads. With this executor preferred
/// (`withTaskExecutorPreference`), a job queued from one of the group's loops runs on that same loop
/// (a channel's callbacks resume its handler where the channel lives), and any other job goes to the
/// group's next loop.
public final class EventLoopTaskExecutor: TaskExecutor {
  private let group: any EventLoopGroup
  private let loops: [any EventLoop]

  /// An executor that runs every job on one of `group`'s loops.
  public init(group: any EventLoopGroup) {
    self.group = group
    loops = Array(group.makeIterator())
  }

  /// Runs `job` on the loop of the calling thread when it is one of the group's, else on the next loop.
  public func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    let loop = loops.first(where: \.inEventLoop) ?? group.next()
    loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
  }
}
