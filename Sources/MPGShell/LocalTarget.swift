import CloudAPI
import Emulator
import FileIO
import JQ
import Outcomes
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// `--local`: the connection to the local emulator of a data directory, which has one owner at a time.
/// When an emulator already serves from it (`mpg emulator serve`, or another `mpg --local`), this
/// session attaches to it; otherwise one starts in this process on first use. An owner that ends waits
/// for the sessions attached to it, so no session ever stops the clusters another one uses.
final class LocalTarget: Sendable {
  let dataDirectory: String
  private let started = Mutex<LocalEmulator?>(nil)
  private let membership = Mutex<AttachedSessions.Membership?>(nil)

  /// The limit an emulator started here enforces (`nil`: none, unless asked for).
  let rateLimit: (requests: Int, seconds: Double)?

  init(dataDirectory: String, rateLimit: (requests: Int, seconds: Double)? = nil) {
    self.dataDirectory = dataDirectory
    self.rateLimit = rateLimit
  }

  /// How long to wait for another process that owns the data directory to start serving.
  static let attachTimeout: Duration = .seconds(60)

  /// The emulator's URL, key and organization.
  func connect() async throws -> ConnectionSettings {
    let clock = ContinuousClock()
    let deadline = clock.now + Self.attachTimeout
    while true {
      if let serving = Self.servingEmulator(dataDirectory) {
        let joined = try AttachedSessions.join(dataDirectory)
        membership.withLock { $0 = joined }
        return serving
      }
      do {
        let emulator = try await LocalEmulator.start(EmulatorConfiguration(dataDirectory: dataDirectory, rateLimit: rateLimit))
        started.withLock { $0 = emulator }
        return ConnectionSettings(
          endpoint: EndpointURL(emulator.baseURL)!,
          credentials: APICredentials(keyID: emulator.keyID, keySecret: emulator.keySecret),
          organizationID: emulator.organizationID, credentialSource: "the local emulator")
      } catch let error as EmulatorError where error.ownerProcessID != nil {
        // Another process took the directory first (two sessions started together): it will serve soon.
        guard clock.now < deadline else {
          throw SetupFailure("\(error), which has not answered for \(Self.attachTimeout); stop it, or try again")
        }
        try await Task.sleep(for: .milliseconds(100))
      } catch {
        throw SetupFailure("the local emulator could not start: \(error)")
      }
    }
  }

  /// Ends this session's use of the twin. An emulator started here stops with its clusters, once the
  /// sessions attached to it have ended (Ctrl-C stops it at once).
  func stop() async {
    membership.withLock { value in
      value?.leave()
      value = nil
    }
    let emulator = started.withLock { value -> LocalEmulator? in
      defer { value = nil }
      return value
    }
    guard let emulator else { return }
    await waitForAttachedSessions()
    await emulator.stop()
  }

  private func waitForAttachedSessions() async {
    var others = AttachedSessions.live(dataDirectory)
    guard !others.isEmpty else { return }
    let list = others.map(String.init).joined(separator: ", ")
    TextStream.standardError.write(
      "mpg: the local twin keeps serving \(others.count) other session(s) (pid \(list)); it stops when they end (Ctrl-C stops it now)\n"
    )
    TextStream.standardError.flush()
    let interrupted = Atomic<Bool>(false)
    let watcher = SignalWatcher(signals: [SIGINT, SIGTERM]) { interrupted.store(true, ordering: .relaxed) }
    while !others.isEmpty && !interrupted.load(ordering: .relaxed) {
      try? await Task.sleep(for: .milliseconds(200))
      others = AttachedSessions.live(dataDirectory)
    }
    withExtendedLifetime(watcher) {}
  }

  /// The settings of the emulator serving from `dataDirectory`, when one owns it and its port answers.
  static func servingEmulator(_ dataDirectory: String) -> ConnectionSettings? {
    guard case .serving(let server) = EmulatorPresence.of(dataDirectory), let endpoint = EndpointURL(server.url),
      let port = endpoint.port, answers(host: endpoint.host, port: port)
    else { return nil }
    return ConnectionSettings(
      endpoint: endpoint, credentials: APICredentials(keyID: server.keyID, keySecret: server.keySecret),
      organizationID: server.organizationID, credentialSource: "the local emulator serving from \(dataDirectory)")
  }

  /// Whether something accepts TCP connections at host:port (IPv4 loopback addresses).
  static func answers(host: String, port: Int) -> Bool {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return false }
    return withUnsafePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
      }
    }
  }
}
