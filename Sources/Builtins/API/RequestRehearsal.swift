import CloudAPI
import Synchronization

/// `--step`'s look ahead: a command run inside `collecting` sends nothing (as in a dry run) and its
/// requests are kept, so the person stepping sees what the statement will send before it does.
public final class RequestRehearsal: Sendable {
  /// The rehearsal of the running task, if any.
  @TaskLocal static var current: RequestRehearsal?

  private let collected = Mutex<[APIRequest]>([])

  /// The requests `body` would send, and the error that stopped it early, if one did.
  public static func collecting(_ body: () async throws -> Void) async -> (requests: [APIRequest], failure: (any Error)?) {
    let rehearsal = RequestRehearsal()
    var failure: (any Error)?
    do {
      try await $current.withValue(rehearsal) { try await body() }
    } catch {
      failure = error
    }
    return (rehearsal.collected.withLock { $0 }, failure)
  }

  func note(_ request: APIRequest) {
    collected.withLock { $0.append(request) }
  }
}
