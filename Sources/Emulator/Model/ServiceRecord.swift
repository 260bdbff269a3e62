import JQ
import PostgresAPISpec

/// One emulated Managed Postgres service, as the emulator stores it.
struct ServiceRecord: Sendable {
  var id: String
  var name: String
  var provider: String
  var region: String
  var postgresVersion: String
  var size: String
  var haType: String
  var tags: [ServiceTag]
  var storageSize: Int
  /// Changes only through `move(to:)`, which follows `ServiceState.transitions`.
  private(set) var state: ServiceState
  var createdAt: String
  var isPrimary: Bool
  var username: String
  /// The loopback address the cluster listens on (the service's `hostname`).
  var hostname: String
  var port: Int
  /// Kept for the cluster and the one-time responses; never in other responses.
  var password: String
  /// Settings applied with `ALTER SYSTEM`, as the API shows them.
  var pgConfig: [(String, JSONValue)]
  var pgBouncerConfig: [(String, String)]
  /// The primary a read replica follows; nil for a primary. A service that is not primary and has no
  /// parent is being promoted.
  var parentID: String?
  /// The base backups taken so far, oldest first.
  var backups: [BackupRecord] = []
  /// Password of the replication role replicas of this primary log in with (made with the first one).
  var replicationPassword: String?
  /// For a restore: the service restored from and the moment, kept so a restarted emulator can redo it.
  var restoreSource: String?
  var restoreTarget: String?
  /// Who may connect (`ipAccessList`); a service created without rules is open to any address.
  var ipAccessList: [IPAccessRule] = [.openToAll(id: Identifiers.uuid())]

  /// The sources whose rules cover the PostgreSQL port, for the cluster's `pg_hba.conf`.
  var allowedSources: [String] {
    ipAccessList.filter { $0.covers(port: 5432) }.map(\.source)
  }

  /// `postgres://postgres:PASSWORD@HOST:PORT/postgres?sslmode=require&channel_binding=require`.
  var connectionString: String {
    "postgres://\(username):\(Self.percentEncoded(password))@\(hostname):\(port)/postgres?sslmode=require&channel_binding=require"
  }

  /// The API's view. `withCredentials` only for the create response and a generated password reset.
  func json(withCredentials: Bool) -> JSONValue {
    var members: [(String, JSONValue)] = [
      ("id", JSONValue(id)), ("name", JSONValue(name)), ("provider", JSONValue(provider)), ("region", JSONValue(region)),
      ("postgresVersion", JSONValue(postgresVersion)), ("size", JSONValue(size)), ("haType", JSONValue(haType)),
      ("tags", JSONValue(array: tags.map(\.json))),
      ("storageSize", JSONValue(storageSize)), ("state", JSONValue(state.rawValue)), ("createdAt", JSONValue(createdAt)),
      ("isPrimary", JSONValue(isPrimary)), ("username", JSONValue(username)), ("hostname", JSONValue(hostname)),
    ]
    members.append(("ipAccessList", JSONValue(array: ipAccessList.map(\.json))))
    if let first = backups.first { members.append(("earliestRestoreTime", JSONValue(first.lastModified))) }
    if withCredentials {
      members += [("password", JSONValue(password)), ("connectionString", JSONValue(connectionString))]
    }
    return JSONValue(object: members)
  }

  /// The full record for the emulator's own state file (includes the password; the file is 0600).
  var stored: JSONValue {
    var object = json(withCredentials: false)
    object = object.setting("port", to: JSONValue(port))!
    object = object.setting("password", to: JSONValue(password))!
    object = object.setting("pgConfig", to: JSONValue(object: pgConfig))!
    object = object.setting("pgBouncerConfig", to: JSONValue(object: pgBouncerConfig.map { ($0.0, JSONValue($0.1)) }))!
    object = object.setting("backups", to: JSONValue(array: backups.map(\.stored)))!
    for (key, value) in [
      ("parentId", parentID), ("replicationPassword", replicationPassword), ("restoreSource", restoreSource),
      ("restoreTarget", restoreTarget),
    ] {
      if let value { object = object.setting(key, to: JSONValue(value))! }
    }
    return object
  }

  /// Reads a record back from the state file.
  init?(stored value: JSONValue) {
    guard let id = value["id"]?.stringValue, let name = value["name"]?.stringValue else { return nil }
    self.id = id
    self.name = name
    provider = value["provider"]?.stringValue ?? "aws"
    region = value["region"]?.stringValue ?? ""
    postgresVersion = value["postgresVersion"]?.stringValue ?? "17"
    size = value["size"]?.stringValue ?? ""
    haType = value["haType"]?.stringValue ?? "none"
    tags = (value["tags"]?.arrayElements ?? []).compactMap { tag in
      guard let key = tag["key"]?.stringValue else { return nil }
      return ServiceTag(key: key, value: tag["value"]?.stringValue)
    }
    storageSize = Int(value["storageSize"]?.numberValue ?? 0)
    state = value["state"]?.stringValue.flatMap(ServiceState.init(rawValue:)) ?? .stopped
    createdAt = value["createdAt"]?.stringValue ?? Timestamp.now()
    isPrimary = value["isPrimary"]?.boolValue ?? true
    username = value["username"]?.stringValue ?? "postgres"
    hostname = value["hostname"]?.stringValue ?? "127.0.0.1"
    port = Int(value["port"]?.numberValue ?? 5432)
    password = value["password"]?.stringValue ?? ""
    pgConfig = (value["pgConfig"]?.objectMembers ?? []).map { ($0.key, $0.value) }
    pgBouncerConfig = (value["pgBouncerConfig"]?.objectMembers ?? []).map {
      ($0.key, $0.value.stringValue ?? $0.value.description)
    }
    parentID = value["parentId"]?.stringValue
    backups = (value["backups"]?.arrayElements ?? []).compactMap(BackupRecord.init(stored:))
    replicationPassword = value["replicationPassword"]?.stringValue
    restoreSource = value["restoreSource"]?.stringValue
    restoreTarget = value["restoreTarget"]?.stringValue
    if let rules = value["ipAccessList"]?.arrayElements { ipAccessList = rules.compactMap(IPAccessRule.init(json:)) }
  }

  init(
    id: String, name: String, provider: String, region: String, postgresVersion: String, size: String, haType: String,
    tags: [ServiceTag], storageSize: Int, hostname: String, port: Int, password: String
  ) {
    self.id = id
    self.name = name
    self.provider = provider
    self.region = region
    self.postgresVersion = postgresVersion
    self.size = size
    self.haType = haType
    self.tags = tags
    self.storageSize = storageSize
    self.state = .creating
    self.createdAt = Timestamp.now()
    self.isPrimary = true
    self.username = "postgres"
    self.hostname = hostname
    self.port = port
    self.password = password
    self.pgConfig = []
    self.pgBouncerConfig = []
  }

  /// Moves the service to `next`, when `ServiceState.transitions` has that move from where it is.
  mutating func move(to next: ServiceState) throws(IllegalMove) {
    guard state.canMove(to: next) else { throw IllegalMove(serviceID: id, from: state, to: next) }
    state = next
  }

  static func percentEncoded(_ text: String) -> String {
    var result = ""
    for byte in text.utf8 {
      let unreserved =
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
        || [0x2D, 0x2E, 0x5F, 0x7E].contains(byte)
      result += unreserved ? String(UnicodeScalar(byte)) : "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
    }
    return result
  }
}
