import FileIO
import JQ
import Outcomes

/// Service passwords captured from create and password-reset responses (the only answers that
/// carry them), so `connect` and `sql` work later. One 0600 JSON file in the XDG state directory,
/// rewritten atomically; keyed by organization and service id.
public final class CredentialVault: @unchecked Sendable {
  /// One stored credential.
  public struct Entry: Sendable {
    /// The organization the service belongs to.
    public var organizationID: String
    /// The service id.
    public var serviceID: String
    /// The service name when it was stored (for listings).
    public var serviceName: String?
    /// The database user.
    public var username: String
    /// The password.
    public var password: String
    /// The port from the connection string, when it was not 5432 (a local fallback).
    public var port: Int?
    /// When it was stored (RFC 3339).
    public var savedAt: String

    /// An entry.
    public init(
      organizationID: String, serviceID: String, serviceName: String?, username: String, password: String, port: Int?,
      savedAt: String
    ) {
      self.organizationID = organizationID
      self.serviceID = serviceID
      self.serviceName = serviceName
      self.username = username
      self.password = password
      self.port = port
      self.savedAt = savedAt
    }
  }

  /// The file, e.g. `~/.local/state/mpg/vault.json`.
  public let path: String

  /// The vault stored at `path`.
  public init(path: String) {
    self.path = path
  }

  /// The vault in the XDG state directory.
  public static func standard(environment: [String: String] = ProcessEnvironment.current) -> CredentialVault {
    CredentialVault(path: StateDirectories.state(environment: environment) + "/vault.json")
  }

  /// Every stored credential.
  public func entries() throws(SetupFailure) -> [Entry] {
    guard let text = try? FileText.readBytes(path) else { return [] }
    let document: JSONValue
    do {
      document = try JSONValue(parsing: text)
    } catch {
      throw SetupFailure("the credential vault \(path) is damaged (\(error.message)); move it away to start a new one")
    }
    return (document["credentials"]?.arrayElements ?? []).compactMap { item in
      guard let organization = item["organizationId"]?.stringValue, let service = item["serviceId"]?.stringValue,
        let password = item["password"]?.stringValue
      else { return nil }
      return Entry(
        organizationID: organization, serviceID: service, serviceName: item["serviceName"]?.stringValue,
        username: item["username"]?.stringValue ?? "postgres", password: password,
        port: item["port"]?.numberValue.map { Int($0) }, savedAt: item["savedAt"]?.stringValue ?? ""
      )
    }
  }

  /// The credential of one service, if stored.
  public func entry(organizationID: String, serviceID: String) throws(SetupFailure) -> Entry? {
    try entries().first { $0.organizationID == organizationID && $0.serviceID == serviceID }
  }

  /// Stores (or replaces) a credential.
  public func store(_ entry: Entry) throws(SetupFailure) {
    var all = try entries().filter { !($0.organizationID == entry.organizationID && $0.serviceID == entry.serviceID) }
    all.append(entry)
    try write(all)
  }

  /// Removes a service's credential; returns whether there was one.
  @discardableResult
  public func forget(organizationID: String, serviceID: String) throws(SetupFailure) -> Bool {
    let all = try entries()
    let kept = all.filter { !($0.organizationID == organizationID && $0.serviceID == serviceID) }
    guard kept.count != all.count else { return false }
    try write(kept)
    return true
  }

  private func write(_ entries: [Entry]) throws(SetupFailure) {
    let items = entries.map { entry in
      JSONValue(object: [
        ("organizationId", JSONValue(entry.organizationID)), ("serviceId", JSONValue(entry.serviceID)),
        ("serviceName", entry.serviceName.map { JSONValue($0) } ?? .null), ("username", JSONValue(entry.username)),
        ("password", JSONValue(entry.password)), ("port", entry.port.map { JSONValue($0) } ?? .null),
        ("savedAt", JSONValue(entry.savedAt)),
      ])
    }
    let document = JSONValue(object: [("version", JSONValue(1)), ("credentials", JSONValue(array: items))])
    if let slash = path.lastIndex(of: "/") { try StateDirectories.create(String(path[..<slash])) }
    do {
      try FileText.writeAtomically(document.dumped(.pretty) + "\n", to: path, mode: 0o600, exactMode: true)
    } catch {
      throw SetupFailure("cannot save the credential vault: \(error.message)")
    }
  }
}
