import JQ

// The request bodies of the Postgres endpoints after RequestValidator accepted them: typed, with the
// defaults applied and the properties the spec does not list dropped. Each can give its normalised JSON.

/// A tag of a service (`ResourceTagsV1`): a key and an optional value.
public struct ServiceTag: Sendable, Equatable {
  /// The key, e.g. `env`.
  public var key: String
  /// The value, when one was given.
  public var value: String?

  /// A tag with `key` and an optional `value`.
  public init(key: String, value: String? = nil) {
    self.key = key
    self.value = value
  }

  /// `{"key": …, "value": …}`, without `value` when there is none.
  public var json: JSONValue {
    var members: [(String, JSONValue)] = [("key", JSONValue(key))]
    if let value { members.append(("value", JSONValue(value))) }
    return JSONValue(object: members)
  }
}

/// One `pgConfig` entry as sent: the setting's name and its JSON value (a string or a number).
public struct ConfigEntry: Sendable {
  /// The PostgreSQL parameter, e.g. `work_mem`.
  public let name: String
  /// The value as sent, kept as JSON so responses echo it unchanged.
  public let value: JSONValue

  /// A setting and its value.
  public init(name: String, value: JSONValue) {
    self.name = name
    self.value = value
  }

  /// The value as PostgreSQL reads it in `ALTER SYSTEM SET name = '…'`: a string as sent, a number
  /// without a trailing `.0`.
  public var settingText: String {
    if let text = value.stringValue { return text }
    if let number = value.numberValue { return ValidationFailure.number(number) }
    return value.description
  }
}

extension ConfigEntry {
  /// Entries as a `pgConfig` JSON object, in the order sent.
  public static func object(_ entries: [ConfigEntry]) -> JSONValue {
    JSONValue(object: entries.map { ($0.name, $0.value) })
  }
}

/// One `pgBouncerConfig` entry: a PgBouncer parameter and its value (always a string).
public struct BouncerEntry: Sendable, Equatable {
  /// The PgBouncer parameter, e.g. `default_pool_size`.
  public let name: String
  /// Its value, e.g. `"16"`.
  public let value: String

  /// A parameter and its value.
  public init(name: String, value: String) {
    self.name = name
    self.value = value
  }

  /// Entries as a `pgBouncerConfig` JSON object, in the order sent.
  public static func object(_ entries: [BouncerEntry]) -> JSONValue {
    JSONValue(object: entries.map { ($0.name, JSONValue($0.value)) })
  }
}

/// The body of `POST /v1/organizations/{organizationId}/postgres`.
public struct CreateRequest: Sendable {
  /// The service name (1–50 characters).
  public var name: String
  /// The cloud provider, e.g. `aws`.
  public var provider: String
  /// A region of that provider, e.g. `us-east-1`.
  public var region: String
  /// The requested major, `PostgresSpec.defaultPostgresVersion` when left out.
  public var postgresVersion: String
  /// A size that provider offers, e.g. `r8gd.large`.
  public var size: String
  /// `PostgresSpec.defaultHaType` when left out.
  public var haType: String
  /// `[]` when left out.
  public var tags: [ServiceTag]
  /// Settings to apply at creation, when sent (never empty).
  public var pgConfig: [ConfigEntry]?
  /// PgBouncer settings, when sent (never empty).
  public var pgBouncerConfig: [BouncerEntry]?
  /// IPv4 access rules, when sent (`[]`: no address may connect; left out: any address may).
  public var ipAccessList: [IPAccessRuleRequest]? = nil

  /// The storage the service reports, derived from its size.
  public var storageSize: Int { PostgresSpec.storageSize(for: size) ?? 0 }

  /// The normalised body: every field with its default, unknown properties gone.
  public var json: JSONValue {
    var members: [(String, JSONValue)] = [
      ("name", JSONValue(name)), ("provider", JSONValue(provider)), ("region", JSONValue(region)),
      ("postgresVersion", JSONValue(postgresVersion)), ("size", JSONValue(size)), ("haType", JSONValue(haType)),
      ("tags", JSONValue(array: tags.map(\.json))),
    ]
    if let pgConfig { members.append(("pgConfig", ConfigEntry.object(pgConfig))) }
    if let pgBouncerConfig { members.append(("pgBouncerConfig", BouncerEntry.object(pgBouncerConfig))) }
    return JSONValue(object: members)
  }
}

/// The body of `PATCH …/postgres/{postgresId}`: a JSON merge patch, so every field is optional and
/// `tags`, when present, replaces the whole list.
public struct PatchRequest: Sendable {
  /// A new name (changes the hostname).
  public var name: String?
  /// A new size of the service's provider.
  public var size: String?
  /// A new high-availability type.
  public var haType: String?
  /// The new tag list, replacing the old one.
  public var tags: [ServiceTag]?
  /// Access rules to remove and add.
  public var ipAccessList: IPAccessListPatch? = nil

  /// Whether the patch changes nothing.
  public var isEmpty: Bool { name == nil && size == nil && haType == nil && tags == nil && ipAccessList == nil }

  /// The normalised patch: only the fields sent.
  public var json: JSONValue {
    var members: [(String, JSONValue)] = []
    if let name { members.append(("name", JSONValue(name))) }
    if let size { members.append(("size", JSONValue(size))) }
    if let haType { members.append(("haType", JSONValue(haType))) }
    if let tags { members.append(("tags", JSONValue(array: tags.map(\.json)))) }
    return JSONValue(object: members)
  }
}

/// The body of `PATCH …/{postgresId}/password`.
public struct PasswordRequest: Sendable {
  /// The new password, or `nil` when the server should generate one (and return it).
  public var password: String?
}

/// The commands of `PATCH …/{postgresId}/state`.
public enum StateCommand: String, Sendable, CaseIterable {
  /// Restart the cluster (`restarting` → `running`).
  case restart
  /// Promote a read replica to a primary of its own.
  case promote
  /// Swap a primary with its standby.
  case switchover
}

/// The body of `PATCH …/{postgresId}/state`.
public struct StateRequest: Sendable {
  /// What to do.
  public var command: StateCommand
}

/// The body of `POST` (replace) and `PATCH` (update) `…/{postgresId}/config`. Both parts are always
/// present, and may be empty: clients send `{}` for the part they leave alone.
public struct ConfigRequest: Sendable {
  /// PostgreSQL settings, in the order sent.
  public var pgConfig: [ConfigEntry]
  /// PgBouncer settings, in the order sent.
  public var pgBouncerConfig: [BouncerEntry]

  /// The normalised body.
  public var json: JSONValue {
    JSONValue(object: [("pgConfig", ConfigEntry.object(pgConfig)), ("pgBouncerConfig", BouncerEntry.object(pgBouncerConfig))])
  }
}

/// The body of `POST …/{postgresId}/readReplica`.
public struct ReadReplicaRequest: Sendable {
  /// The replica's service name.
  public var name: String
  /// `[]` when left out.
  public var tags: [ServiceTag]
  /// Settings for the replica, when sent (never empty).
  public var pgConfig: [ConfigEntry]?
  /// PgBouncer settings for the replica, when sent (never empty).
  public var pgBouncerConfig: [BouncerEntry]?
}

/// The body of `POST …/{postgresId}/restoredService` (point-in-time restore).
public struct RestoreRequest: Sendable {
  /// The restored service's name.
  public var name: String
  /// The RFC 3339 moment to restore to, as sent.
  public var restoreTarget: String
  /// `[]` when left out.
  public var tags: [ServiceTag]
  /// Settings for the restored service, when sent (never empty).
  public var pgConfig: [ConfigEntry]?
  /// PgBouncer settings for the restored service, when sent (never empty).
  public var pgBouncerConfig: [BouncerEntry]?
}
