import FileIO
import JQ

#if canImport(Glibc)
  import Glibc
#endif

/// `DATA/server.json` (0600): how to reach the emulator that serves from a data directory, written by
/// that emulator once it listens and removed when it stops. Other mpg processes read it to attach
/// (`mpg --local` beside a running twin) and `mpg emulator status` to report.
public struct ServerFile: Sendable {
  /// The API's base URL.
  public let url: String
  /// The one organization's id.
  public let organizationID: String
  /// The API key id.
  public let keyID: String
  /// The API key secret.
  public let keySecret: String
  /// The serving process.
  public let processID: Int32
  /// The PostgreSQL majors new services can have.
  public var postgresMajors: [Int] = []

  static func path(_ dataDirectory: String) -> String { dataDirectory + "/server.json" }

  /// The file's content: what `emulator serve` also prints when ready.
  public func json(dataDirectory: String) -> JSONValue {
    JSONValue(object: [
      ("url", JSONValue(url)), ("organizationId", JSONValue(organizationID)),
      ("keyId", JSONValue(keyID)), ("keySecret", JSONValue(keySecret)),
      ("dataDir", JSONValue(dataDirectory)), ("pid", JSONValue(Int(processID))),
      ("postgresVersions", JSONValue(array: postgresMajors.map { JSONValue(String($0)) })),
    ])
  }

  func write(dataDirectory: String) throws {
    try FileText.writeAtomically(
      json(dataDirectory: dataDirectory).dumped(.compact) + "\n", to: Self.path(dataDirectory), mode: 0o600, exactMode: true)
  }

  static func remove(dataDirectory: String) {
    unlink(path(dataDirectory))
  }

  /// The file as written, whether or not its emulator still runs.
  public static func read(dataDirectory: String) -> ServerFile? {
    guard let bytes = try? FileText.readBytes(path(dataDirectory)), let server = try? JSONValue(parsing: bytes),
      let url = server["url"]?.stringValue, let keyID = server["keyId"]?.stringValue,
      let keySecret = server["keySecret"]?.stringValue, let organization = server["organizationId"]?.stringValue
    else { return nil }
    let pid = Int32(server["pid"]?.numberValue ?? 0)
    let majors = (server["postgresVersions"]?.arrayElements ?? []).compactMap { $0.stringValue.flatMap { Int($0) } }
    return ServerFile(
      url: url, organizationID: organization, keyID: keyID, keySecret: keySecret, processID: pid, postgresMajors: majors)
  }
}

/// Whether an emulator serves from a data directory, told from the owner's lock rather than from files
/// a crash leaves behind.
public enum EmulatorPresence: Sendable {
  /// An emulator owns the directory and has said where it listens.
  case serving(ServerFile)
  /// An emulator owns the directory but is still starting (or is `emulator reset`).
  case starting(processID: Int32)
  /// The emulator that served from it ended without stopping (killed); nothing serves now.
  case gone(processID: Int32)
  /// Nothing serves from it.
  case absent

  /// Looks at `dataDirectory` now.
  public static func of(_ dataDirectory: String) -> EmulatorPresence {
    let server = ServerFile.read(dataDirectory: dataDirectory)
    guard let owner = DataDirectoryLock.liveOwner(dataDirectory) else {
      return server.map { .gone(processID: $0.processID) } ?? .absent
    }
    if let server, server.processID == owner || server.processID == 0 { return .serving(server) }
    return .starting(processID: owner)
  }
}
