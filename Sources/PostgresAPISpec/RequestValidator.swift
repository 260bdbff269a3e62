import JQ

/// Checks the request bodies of the Postgres endpoints against the spec (`PostgresSpec`) and turns them
/// into typed requests with the defaults applied, or into the `400 BAD_REQUEST` text the emulator answers.
///
/// Fields are checked in the spec's order and the first failure is reported. Properties the spec does not
/// list are accepted and ignored, as the API does (none of these bodies closes its properties; ClickHouse's
/// own walkthrough still sends the retired `storageSize` on create), except inside `pgConfig`, which the
/// spec closes; a client validator refuses them first (`refusesUnknownFields`), so a typo is not dropped.
/// `null` is never a value: a field is either left out or has the type the spec gives it.
public struct RequestValidator: Sendable {
  /// Whether `region` must be one of the provider's regions (`PostgresSpec.regions(for:)`). The spec types
  /// it as a bare string; the live service refuses regions it does not offer.
  public var checksRegions: Bool
  /// Whether a field that neither the spec nor ClickHouse's documentation knows (`KnownFields`) is a
  /// failure, checked before anything else. The API ignores such fields; mpg refuses them before sending.
  public var refusesUnknownFields: Bool

  /// A validator; `checksRegions: false` accepts any non-empty region string.
  public init(checksRegions: Bool = true, refusesUnknownFields: Bool = false) {
    self.checksRegions = checksRegions
    self.refusesUnknownFields = refusesUnknownFields
  }

  /// The members of `body`, which must be an object of `schema`; with `refusesUnknownFields`, none unknown.
  private func fields(_ body: JSONValue?, schema: String) throws(ValidationFailure) -> BodyFields {
    let fields = try BodyFields(body)
    if refusesUnknownFields { try KnownFields.refuseUnknown(fields.object, schema: schema) }
    return fields
  }

  /// Parses a raw request body: `nil` when it is empty or only whitespace, else the JSON value (of any
  /// kind: the validate functions refuse what is not an object).
  public static func parseBody(_ bytes: some Collection<UInt8>) throws(ValidationFailure) -> JSONValue? {
    guard bytes.contains(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return nil }
    do {
      return try JSONValue(parsing: bytes)
    } catch {
      throw .malformed(error)
    }
  }

  // MARK: - One function per body

  /// `POST …/postgres`: name, provider, region and size are required; postgresVersion defaults to
  /// `"17"`, haType to `"none"`, tags to `[]`; pgConfig and pgBouncerConfig, when sent, must not be empty.
  public func validateCreate(_ body: JSONValue?) throws(ValidationFailure) -> CreateRequest {
    let fields = try self.fields(body, schema: "PostgresServicePostRequest")
    let name = try fields.required("name", Self.name)
    let provider = try fields.required("provider", Self.oneOf(PostgresSpec.providers))
    return CreateRequest(
      name: name,
      provider: provider,
      region: try fields.required("region", region(of: provider)),
      postgresVersion: try fields.optional("postgresVersion", Self.oneOf(PostgresSpec.postgresVersions))
        ?? PostgresSpec.defaultPostgresVersion,
      size: try fields.required("size", Self.size(of: provider)),
      haType: try fields.optional("haType", Self.oneOf(PostgresSpec.haTypes)) ?? PostgresSpec.defaultHaType,
      tags: try fields.optional("tags", Self.tags) ?? [],
      pgConfig: try fields.optional("pgConfig", Self.pgConfig(allowsEmpty: false)),
      pgBouncerConfig: try fields.optional("pgBouncerConfig", Self.pgBouncerConfig(allowsEmpty: false)),
      ipAccessList: try fields.optional("ipAccessList", Self.ipAccessRules)
    )
  }

  /// `PATCH …/postgres/{postgresId}`: any of name, size (one `provider` offers), haType and tags.
  /// An empty object is a valid patch that changes nothing.
  public func validatePatch(_ body: JSONValue?, provider: String = "aws") throws(ValidationFailure) -> PatchRequest {
    let fields = try self.fields(body, schema: "PostgresServicePatchRequest")
    return PatchRequest(
      name: try fields.optional("name", Self.name),
      size: try fields.optional("size", Self.size(of: provider)),
      haType: try fields.optional("haType", Self.oneOf(PostgresSpec.haTypes)),
      tags: try fields.optional("tags", Self.tags),
      ipAccessList: try fields.optional("ipAccessList", Self.ipAccessListPatch)
    )
  }

  /// `PATCH …/{postgresId}/password`: no body, `{}` or a password of 12–1024 characters with a lowercase
  /// letter, an uppercase letter and a digit. Without one the server generates a password.
  public func validatePassword(_ body: JSONValue?) throws(ValidationFailure) -> PasswordRequest {
    guard let body else { return PasswordRequest(password: nil) }
    return PasswordRequest(
      password: try self.fields(body, schema: "PostgresServiceSetPassword").optional("password", Self.password))
  }

  /// `PATCH …/{postgresId}/state`: `command` is one of restart, promote, switchover. The spec does not mark
  /// it required, but a state change without a command has nothing to do, so the emulator requires it.
  public func validateState(_ body: JSONValue?) throws(ValidationFailure) -> StateRequest {
    let command = try self.fields(body, schema: "PostgresServiceSetState").required(
      "command", Self.oneOf(StateCommand.allCases.map(\.rawValue)))
    return StateRequest(command: StateCommand(rawValue: command)!)
  }

  /// `POST` (replace) and `PATCH` (update) `…/{postgresId}/config`: both share the spec's
  /// `postgresInstanceConfig`, which requires pgConfig and pgBouncerConfig. Either may be `{}`: the live
  /// API accepts that and clickhousectl sends it for the part it leaves alone.
  public func validateConfig(_ body: JSONValue?) throws(ValidationFailure) -> ConfigRequest {
    let fields = try self.fields(body, schema: "postgresInstanceConfig")
    return ConfigRequest(
      pgConfig: try fields.required("pgConfig", Self.pgConfig(allowsEmpty: true)),
      pgBouncerConfig: try fields.required("pgBouncerConfig", Self.pgBouncerConfig(allowsEmpty: true))
    )
  }

  /// `POST …/{postgresId}/readReplica`: a name, and optionally pgConfig, pgBouncerConfig and tags.
  public func validateReadReplica(_ body: JSONValue?) throws(ValidationFailure) -> ReadReplicaRequest {
    let fields = try self.fields(body, schema: "PostgresServiceReadReplicaRequest")
    return ReadReplicaRequest(
      name: try fields.required("name", Self.name),
      tags: try fields.optional("tags", Self.tags) ?? [],
      pgConfig: try fields.optional("pgConfig", Self.pgConfig(allowsEmpty: false)),
      pgBouncerConfig: try fields.optional("pgBouncerConfig", Self.pgBouncerConfig(allowsEmpty: false))
    )
  }

  /// `POST …/{postgresId}/restoredService`: a name and an RFC 3339 `restoreTarget`, and optionally
  /// pgConfig, pgBouncerConfig and tags. Whether the moment lies in the backup window is the caller's check.
  public func validateRestore(_ body: JSONValue?) throws(ValidationFailure) -> RestoreRequest {
    let fields = try self.fields(body, schema: "PostgresServiceRestoreRequest")
    return RestoreRequest(
      name: try fields.required("name", Self.name),
      restoreTarget: try fields.required("restoreTarget", Self.dateTime),
      tags: try fields.optional("tags", Self.tags) ?? [],
      pgConfig: try fields.optional("pgConfig", Self.pgConfig(allowsEmpty: false)),
      pgBouncerConfig: try fields.optional("pgBouncerConfig", Self.pgBouncerConfig(allowsEmpty: false))
    )
  }
}

// MARK: - Reading the body

/// A check of one field: given its value and its path in the body, the typed value or a failure.
typealias FieldRule<Value> = (JSONValue, _ field: String) throws(ValidationFailure) -> Value

/// The members of a body that must be a JSON object.
private struct BodyFields {
  let object: JSONValue

  init(_ body: JSONValue?) throws(ValidationFailure) {
    guard let body else { throw .missingBody }
    guard body.kind == .object else { throw .notAnObject(body) }
    object = body
  }

  /// The member `key` checked by `rule`; a failure when it is absent.
  func required<Value>(_ key: String, _ rule: FieldRule<Value>) throws(ValidationFailure) -> Value {
    guard let value = object[key] else { throw .required(key) }
    return try rule(value, key)
  }

  /// The member `key` checked by `rule`, or `nil` when it is absent.
  func optional<Value>(_ key: String, _ rule: FieldRule<Value>) throws(ValidationFailure) -> Value? {
    guard let value = object[key] else { return nil }
    return try rule(value, key)
  }
}

// MARK: - The rules

extension RequestValidator {
  static func string(_ value: JSONValue, field: String) throws(ValidationFailure) -> String {
    guard let text = value.stringValue else { throw .wrongType(field, expected: "a string", actual: value) }
    return text
  }

  /// Characters as the spec counts them (JSON Schema counts code points).
  static func length(_ text: String) -> Int {
    text.unicodeScalars.count
  }

  static func name(_ value: JSONValue, field: String) throws(ValidationFailure) -> String {
    let name = try string(value, field: field)
    guard PostgresSpec.nameLength.contains(length(name)) else {
      throw .length(field, PostgresSpec.nameLength, actual: length(name))
    }
    return name
  }

  /// A string among `allowed`.
  static func oneOf(_ allowed: [String]) -> FieldRule<String> {
    { (value, field) throws(ValidationFailure) in
      let text = try string(value, field: field)
      guard allowed.contains(text) else { throw .notOneOf(field, value: text, allowed: allowed) }
      return text
    }
  }

  /// A size `provider` offers; a size of another provider says whose it is.
  static func size(of provider: String) -> FieldRule<String> {
    { (value, field) throws(ValidationFailure) in
      let size = try string(value, field: field)
      let offered = PostgresSpec.sizes(for: provider)
      guard offered.contains(size) else {
        if let owner = PostgresSpec.provider(ofSize: size) {
          throw .sizeOfAnotherProvider(field, size: size, provider: provider, owner: owner)
        }
        throw .notOneOf(field, value: size, allowed: offered, noun: "\(provider) sizes")
      }
      return size
    }
  }

  /// A region `provider` offers, or any non-empty string when regions are not checked.
  func region(of provider: String) -> FieldRule<String> {
    { [checksRegions] (value, field) throws(ValidationFailure) in
      let region = try Self.string(value, field: field)
      guard !region.isEmpty else { throw .empty(field) }
      let offered = PostgresSpec.regions(for: provider)
      guard !checksRegions || offered.contains(region) else {
        throw .notOneOf(field, value: region, allowed: offered, noun: "\(provider) regions")
      }
      return region
    }
  }

  static func tags(_ value: JSONValue, field: String) throws(ValidationFailure) -> [ServiceTag] {
    guard let items = value.arrayElements else { throw .wrongType(field, expected: "an array", actual: value) }
    guard items.count <= PostgresSpec.maximumTagCount else {
      throw .tooManyItems(field, maximum: PostgresSpec.maximumTagCount, actual: items.count)
    }
    let keyPattern = SpecPattern(PostgresSpec.tagKeyPattern)
    let valuePattern = SpecPattern(PostgresSpec.tagValuePattern)
    var tags: [ServiceTag] = []
    for (index, item) in items.enumerated() {
      let path = "\(field)[\(index)]"
      guard item.kind == .object else { throw .wrongType(path, expected: "an object", actual: item) }
      guard let keyValue = item["key"] else { throw .required("\(path).key") }
      let key = try string(keyValue, field: "\(path).key")
      guard PostgresSpec.tagKeyLength.contains(length(key)) else {
        throw .length("\(path).key", PostgresSpec.tagKeyLength, actual: length(key))
      }
      guard keyPattern.matches(key) else { throw .pattern("\(path).key", value: key, pattern: keyPattern.source) }
      guard !key.hasPrefix(PostgresSpec.reservedTagKeyPrefix) else { throw .reservedPrefix("\(path).key", value: key) }
      var tag = ServiceTag(key: key)
      if let valueValue = item["value"] {
        let text = try string(valueValue, field: "\(path).value")
        guard length(text) <= PostgresSpec.maximumTagValueLength else {
          throw .tooLong("\(path).value", maximum: PostgresSpec.maximumTagValueLength, actual: length(text))
        }
        guard valuePattern.matches(text) else {
          throw .pattern("\(path).value", value: text, pattern: valuePattern.source)
        }
        tag.value = text
      }
      tags.append(tag)
    }
    return tags
  }

  static func password(_ value: JSONValue, field: String) throws(ValidationFailure) -> String {
    let password = try string(value, field: field)
    guard PostgresSpec.passwordLength.contains(length(password)) else {
      throw .length(field, PostgresSpec.passwordLength, actual: length(password))
    }
    for pattern in PostgresSpec.passwordPatterns where !SpecPattern(pattern).matches(password) {
      throw .missingCharacter(field, characterName(pattern))
    }
    return password
  }

  /// What a password pattern of the spec asks for, in words.
  static func characterName(_ pattern: String) -> String {
    switch pattern {
    case "[a-z]": "lowercase letter"
    case "[A-Z]": "uppercase letter"
    case "[0-9]": "digit"
    default: "character matching \(pattern)"
    }
  }

  /// PostgreSQL settings the spec lists, each of its type and within its bounds. `{}` only when
  /// `allowsEmpty`.
  static func pgConfig(allowsEmpty: Bool) -> FieldRule<[ConfigEntry]> {
    { (value, field) throws(ValidationFailure) in
      guard let members = value.objectMembers else { throw .wrongType(field, expected: "an object", actual: value) }
      guard allowsEmpty || members.count >= PostgresSpec.minimumPgConfigEntryCount else { throw .empty(field) }
      var entries: [ConfigEntry] = []
      for (name, setting) in members {
        let path = field + memberPath(name)
        guard let rule = PostgresSpec.setting(named: name) else { throw .unknownSetting(path, name: name) }
        try check(setting, against: rule, field: path)
        entries.append(ConfigEntry(name: name, value: setting))
      }
      return entries
    }
  }

  /// Integer settings are 32-bit in PostgreSQL; the spec gives no maximum, so larger numbers would only
  /// fail later, in `ALTER SYSTEM`.
  static let largestIntegerSetting = Double(Int32.max)

  static func check(_ value: JSONValue, against rule: PostgresSetting, field: String) throws(ValidationFailure) {
    switch rule.kind {
    case .choice(let allowed):
      _ = try oneOf(allowed)(value, field)
    case .integer, .number:
      let isInteger = rule.kind == .integer
      if let text = value.stringValue {
        // The spec bounds numbers only: strings carry units and sentinels such as "-1".
        if isInteger, !SettingText.isInteger(text) { throw .notAnIntegerSetting(field, value: text) }
        if !isInteger, !SettingText.isNumber(text) { throw .notANumberSetting(field, value: text) }
        return
      }
      guard let number = value.numberValue else {
        throw .wrongType(field, expected: isInteger ? "a string or an integer" : "a string or a number", actual: value)
      }
      if isInteger, number != number.rounded() { throw .notAnInteger(field, actual: number) }
      if let minimum = rule.minimum, number < minimum { throw .belowMinimum(field, minimum: minimum, actual: number) }
      let maximum = rule.maximum ?? (isInteger ? largestIntegerSetting : nil)
      if let maximum, number > maximum { throw .aboveMaximum(field, maximum: maximum, actual: number) }
    }
  }

  /// PgBouncer settings: at most 64, every value a string. `{}` only when `allowsEmpty`.
  static func pgBouncerConfig(allowsEmpty: Bool) -> FieldRule<[BouncerEntry]> {
    { (value, field) throws(ValidationFailure) in
      guard let members = value.objectMembers else { throw .wrongType(field, expected: "an object", actual: value) }
      let limits = PostgresSpec.pgBouncerEntryCount
      guard allowsEmpty || members.count >= limits.lowerBound else { throw .empty(field) }
      guard members.count <= limits.upperBound else {
        throw .tooManyEntries(field, maximum: limits.upperBound, actual: members.count)
      }
      var entries: [BouncerEntry] = []
      for (name, setting) in members {
        entries.append(BouncerEntry(name: name, value: try string(setting, field: field + memberPath(name))))
      }
      return entries
    }
  }

  static func dateTime(_ value: JSONValue, field: String) throws(ValidationFailure) -> String {
    let text = try string(value, field: field)
    guard RFC3339.isDateTime(text) else { throw .notADateTime(field, value: text) }
    return text
  }

  /// `.name` for a plain member name, `["odd name"]` otherwise.
  static func memberPath(_ name: String) -> String {
    let plain = !name.isEmpty && name.unicodeScalars.allSatisfy { ValidationFailure.isWordCharacter($0) }
    return plain ? ".\(name)" : "[\(JSONValue(name).description)]"
  }
}
