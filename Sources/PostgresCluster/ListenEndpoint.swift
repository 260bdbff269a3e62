import Glibc

/// The TCP address and port a cluster listens on.
///
/// Each cluster gets a loopback address of its own (Linux routes all of 127.0.0.0/8 to `lo`) on port
/// 5432, as every live service answers on 5432. When that address and port cannot be bound (another
/// process listens there, or the system does not route the address), the cluster falls back to a free
/// port on 127.0.0.1 and `fallbackReason` says why.
public struct ListenEndpoint: Sendable, Hashable, CustomStringConvertible {
  /// The IPv4 address PostgreSQL listens on.
  public let host: String
  /// The TCP port.
  public let port: Int
  /// Why the preferred address was not used, or nil when it was.
  public let fallbackReason: String?

  /// The standard PostgreSQL port every cluster prefers.
  public static let standardPort = 5432

  /// Where a cluster listens when its own address cannot be bound (on a free port).
  public static let fallbackHost = "127.0.0.1"

  /// An endpoint as given, without checking it (for a cluster that already has one).
  public init(host: String, port: Int, fallbackReason: String? = nil) {
    self.host = host
    self.port = port
    self.fallbackReason = fallbackReason
  }

  /// True when the preferred address could not be used.
  public var isFallback: Bool { fallbackReason != nil }

  public var description: String { "\(host):\(port)" + (fallbackReason.map { " (fallback: \($0))" } ?? "") }

  /// `preferredHost:port` when it can be bound now, otherwise a free port on 127.0.0.1.
  ///
  /// The check binds and closes a socket, so another process can still take the port before PostgreSQL
  /// binds it; `Cluster.start()` then fails with PostgreSQL's own message.
  public static func choose(preferredHost: String, port: Int = standardPort) throws(ClusterError) -> ListenEndpoint {
    switch bindProbe(host: preferredHost, port: port) {
    case .success:
      return ListenEndpoint(host: preferredHost, port: port)
    case .failure(let failure):
      let reason = "\(preferredHost):\(port) cannot be bound (\(String(cString: strerror(failure.code))))"
      switch bindProbe(host: fallbackHost, port: 0) {
      case .success(let freePort): return ListenEndpoint(host: fallbackHost, port: freePort, fallbackReason: reason)
      case .failure(let fallbackFailure): throw .fileSystem(operation: "bind", path: "127.0.0.1:0", errno: fallbackFailure.code)
      }
    }
  }

  /// Binds a TCP socket (with SO_REUSEADDR, as PostgreSQL does) and returns the bound port, or errno.
  static func bindProbe(host: String, port: Int) -> Result<Int, ProbeError> {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return .failure(ProbeError(EINVAL)) }
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard descriptor >= 0 else { return .failure(ProbeError(errno)) }
    defer { close(descriptor) }
    var one: Int32 = 1
    setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else { return .failure(ProbeError(errno)) }
    var actual = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &actual) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    return .success(Int(UInt16(bigEndian: actual.sin_port)))
  }

  /// An errno from the bind probe.
  struct ProbeError: Error {
    let code: Int32
    init(_ code: Int32) { self.code = code }
  }
}
