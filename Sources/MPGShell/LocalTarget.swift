import CloudAPI
import Emulator
import FileIO
import JQ
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// `--local`: the connection to the local emulator. An emulator already serving from the data
/// directory (`mpg emulator serve`) is used as it is; otherwise one starts in this process on first
/// use and stops, with its clusters, when mpg exits.
final class LocalTarget: Sendable {
  let dataDirectory: String
  private let started = Mutex<LocalEmulator?>(nil)

  init(dataDirectory: String) {
    self.dataDirectory = dataDirectory
  }

  /// The emulator's URL, key and organization.
  func connect() async throws -> ConnectionSettings {
    if let serving = Self.servingEmulator(dataDirectory) { return serving }
    let emulator: LocalEmulator
    do {
      emulator = try await LocalEmulator.start(EmulatorConfiguration(dataDirectory: dataDirectory))
    } catch {
      throw SetupFailure("the local emulator could not start: \(error)")
    }
    started.withLock { $0 = emulator }
    return ConnectionSettings(
      endpoint: EndpointURL(emulator.baseURL)!, credentials: APICredentials(keyID: emulator.keyID, keySecret: emulator.keySecret),
      organizationID: emulator.organizationID, credentialSource: "the local emulator")
  }

  /// Stops the emulator this process started, if any (and its clusters).
  func stop() async {
    let emulator = started.withLock { value -> LocalEmulator? in
      defer { value = nil }
      return value
    }
    await emulator?.stop()
  }

  /// The settings of an emulator serving from `dataDirectory`, when its `server.json` is there and
  /// its port answers.
  static func servingEmulator(_ dataDirectory: String) -> ConnectionSettings? {
    guard let text = try? FileText.readBytes(dataDirectory + "/server.json"), let server = try? JSONValue(parsing: text),
      let url = server["url"]?.stringValue, let endpoint = EndpointURL(url),
      let keyID = server["keyId"]?.stringValue, let keySecret = server["keySecret"]?.stringValue,
      let organization = server["organizationId"]?.stringValue, let port = endpoint.port,
      answers(host: endpoint.host, port: port)
    else { return nil }
    return ConnectionSettings(
      endpoint: endpoint, credentials: APICredentials(keyID: keyID, keySecret: keySecret), organizationID: organization,
      credentialSource: "the local emulator serving from \(dataDirectory)")
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
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
  }
}
