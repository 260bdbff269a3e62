import NIOHTTPTypes
import NIOCore
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Keeps the API answering however many clients connect and then say nothing (20,000 half-sent
/// requests once made the emulator unresponsive: every file descriptor was taken).
///
/// The emulator holds at most `capacity` connections, below its file descriptor limit. A connection
/// beyond that makes room by closing the connections that have been idle longest (none of their requests
/// in progress), so a new client is always served; one that has sent half a request counts as idle.
/// Connections idle for longer than the server's idle time-out are closed anyway (see `LocalEmulator`).
final class ConnectionRegistry: Sendable {
  private struct Entry {
    let channel: any Channel
    var lastActivity: NIODeadline
    var busy: Bool
  }

  /// How many connections are held at most.
  let capacity: Int
  private let entries = Mutex<[ObjectIdentifier: Entry]>([:])

  init(capacity: Int) {
    self.capacity = capacity
  }

  /// How many connections are open now.
  var count: Int { entries.withLock { $0.count } }

  func opened(_ channel: any Channel) {
    let evicted = entries.withLock { entries -> [any Channel] in
      entries[ObjectIdentifier(channel)] = Entry(channel: channel, lastActivity: .now(), busy: false)
      guard entries.count > capacity else { return [] }
      // Room for a batch (1/64 of the capacity) at once: finding the idlest costs a pass over all.
      var idle: [(lastActivity: NIODeadline, key: ObjectIdentifier)] = []
      idle.reserveCapacity(entries.count)
      for (key, entry) in entries where !entry.busy && entry.channel !== channel {
        idle.append((entry.lastActivity, key))
      }
      let batch = min(idle.count, max(1, capacity / 64))
      idle.sort { $0.lastActivity < $1.lastActivity }
      return idle.prefix(batch).compactMap { entries.removeValue(forKey: $0.key)?.channel }
    }
    for channel in evicted { channel.close(promise: nil) }
  }

  func closed(_ channel: any Channel) {
    _ = entries.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) }
  }

  /// A request's head has arrived (or its response has ended: `busy` false).
  func mark(_ channel: any Channel, busy: Bool) {
    entries.withLock { entries in
      entries[ObjectIdentifier(channel)]?.busy = busy
      entries[ObjectIdentifier(channel)]?.lastActivity = .now()
    }
  }

  /// The largest number of connections to hold with this process's file descriptor limit, after
  /// raising its soft limit to the hard one: room is kept for cluster work (psql pipes, log files).
  static func capacityForThisProcess(reserve: Int = 1024) -> Int {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 4096 }
    if limit.rlim_cur < limit.rlim_max {
      limit.rlim_cur = limit.rlim_max
      _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
      _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
    let available = limit.rlim_cur > rlim_t(Int.max) ? Int.max : Int(limit.rlim_cur)
    return max(64, min(available - reserve, 1 << 20))
  }
}

/// Tells a `ConnectionRegistry` when its connection opens, starts and ends requests, and closes.
final class ConnectionTracker: ChannelDuplexHandler, RemovableChannelHandler {
  typealias InboundIn = HTTPRequestPart
  typealias InboundOut = HTTPRequestPart
  typealias OutboundIn = HTTPResponsePart
  typealias OutboundOut = HTTPResponsePart

  private let registry: ConnectionRegistry

  init(registry: ConnectionRegistry) {
    self.registry = registry
  }

  func channelActive(context: ChannelHandlerContext) {
    registry.opened(context.channel)
    context.fireChannelActive()
  }

  func handlerAdded(context: ChannelHandlerContext) {
    // Added to a channel that is already active: channelActive will not come.
    if context.channel.isActive { registry.opened(context.channel) }
  }

  func channelInactive(context: ChannelHandlerContext) {
    registry.closed(context.channel)
    context.fireChannelInactive()
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    if case .head = unwrapInboundIn(data) { registry.mark(context.channel, busy: true) }
    context.fireChannelRead(data)
  }

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    if case .end = unwrapOutboundIn(data) { registry.mark(context.channel, busy: false) }
    context.write(data, promise: promise)
  }
}
