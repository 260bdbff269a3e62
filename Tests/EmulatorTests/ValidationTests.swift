import JQ
import Testing

@testable import PostgresAPISpec
import Suggestions

/// One request body and what the validator must answer: `nil` for acceptance, else the full error text.
/// An empty body text means no body at all. `{aws sizes}`, `{aws regions}` and `{settings}` in an
/// expected text stand for those long lists, in the spec's order.
struct ValidationCase: Sendable, CustomTestStringConvertible {
  let body: String
  let expected: String?

  static func accepts(_ body: String) -> ValidationCase {
    ValidationCase(body: body, expected: nil)
  }

  static func refuses(_ body: String, _ message: String) -> ValidationCase {
    ValidationCase(body: body, expected: message)
  }

  var testDescription: String {
    let shown = body.count > 80 ? String(body.prefix(77)) + "…" : body
    return (expected == nil ? "accepts " : "refuses ") + (shown.isEmpty ? "no body" : shown)
  }

  var expectedText: String? {
    expected.map {
      $0.replacing("{aws sizes}", with: PostgresSpec.sizes(for: "aws").joined(separator: ", "))
        .replacing("{aws regions}", with: PostgresSpec.regions(for: "aws").joined(separator: ", "))
        .replacing("{settings}", with: PostgresSpec.settings.map(\.name).joined(separator: ", "))
    }
  }

  /// Runs `validate` on the body and checks the outcome.
  func check<Request>(_ validate: (JSONValue?) throws(ValidationFailure) -> Request) throws {
    let value = body.isEmpty ? nil : try JSONValue(parsing: body)
    do {
      _ = try validate(value)
      #expect(expectedText == nil, "accepted, expected: \(expectedText ?? "")")
    } catch {
      #expect(error.message == expectedText)
    }
  }
}

/// A create body with `extra` members added to the required ones.
private func createBody(_ extra: String = "", name: String = #""app""#) -> String {
  #"{"name": \#(name), "provider": "aws", "region": "us-east-1", "size": "r8gd.large"\#(extra.isEmpty ? "" : ", " + extra)}"#
}

private func repeated(_ character: Character, _ count: Int) -> String {
  String(repeating: character, count: count)
}

/// `"tags": [...]` with `count` distinct valid tags.
private func tags(_ count: Int) -> String {
  #""tags": ["# + (0..<count).map { #"{"key": "k\#($0)", "value": "v"}"# }.joined(separator: ", ") + "]"
}

/// `"pgBouncerConfig": {...}` with `count` entries.
private func bouncer(_ count: Int) -> String {
  #""pgBouncerConfig": {"# + (0..<count).map { #""p\#($0)": "1""# }.joined(separator: ", ") + "}"
}

private let bad = "BAD_REQUEST: request body"

@Suite struct ValidationTests {
  static let createCases: [ValidationCase] = [
    .accepts(createBody()),
    .accepts(createBody(#""storageSize": 118, "futureField": {"a": 1}"#)),
    .accepts(createBody(#""postgresVersion": "18", "haType": "sync""#)),
    .accepts(createBody(name: #""\#(repeated("n", 50))""#)),
    .accepts(#"{"name": "g", "provider": "gcp", "region": "europe-west4", "size": "c4a-standard-lssd-8"}"#),
    .accepts(
      createBody(
        #""pgConfig": {"max_connections": 200, "work_mem": "64MB", "autovacuum_work_mem": "-1", "random_page_cost": 1.1, "wal_compression": "lz4"}"#
      )),
    .accepts(createBody(#""pgBouncerConfig": {"default_pool_size": "16"}"#)),
    .accepts(createBody(tags(50))),
    .accepts(createBody(bouncer(64))),
    .refuses("", "\(bad) is required"),
    .refuses("[]", "\(bad) must be a JSON object, not an array"),
    .refuses(#""app""#, "\(bad) must be a JSON object, not a string"),
    .refuses("{}", "\(bad): name is required"),
    .refuses(#"{"name": "app", "region": "us-east-1", "size": "r8gd.large"}"#, "\(bad): provider is required"),
    .refuses(#"{"name": "app", "provider": "aws", "size": "r8gd.large"}"#, "\(bad): region is required"),
    .refuses(#"{"name": "app", "provider": "aws", "region": "us-east-1"}"#, "\(bad): size is required"),
    .refuses(createBody(name: "5"), "\(bad): name must be a string, not a number"),
    .refuses(createBody(name: "null"), "\(bad): name must be a string, not null"),
    .refuses(createBody(name: #""""#), "\(bad): name must be 1 to 50 characters long, not 0"),
    .refuses(createBody(name: #""\#(repeated("n", 51))""#), "\(bad): name must be 1 to 50 characters long, not 51"),
    .refuses(
      #"{"name": "app", "provider": "azure", "region": "eastus", "size": "r8gd.large"}"#,
      #"\#(bad): provider "azure" is not one of aws, gcp"#),
    .refuses(
      #"{"name": "app", "provider": "AWS", "region": "us-east-1", "size": "r8gd.large"}"#,
      #"\#(bad): provider "AWS" is not one of aws, gcp; did you mean aws?"#),
    .refuses(
      #"{"name": "app", "provider": "aws", "region": "us-east", "size": "r8gd.large"}"#,
      #"\#(bad): region "us-east" is not one of the aws regions: {aws regions}; did you mean us-east-1?"#),
    .refuses(
      #"{"name": "app", "provider": "gcp", "region": "us-east-1", "size": "c4-standard-lssd-4"}"#,
      #"\#(bad): region "us-east-1" is not one of the gcp regions: us-east1, us-central1, europe-west2, europe-west4, asia-southeast1, asia-northeast1; did you mean us-east1?"#
    ),
    .refuses(#"{"name": "app", "provider": "aws", "region": "", "size": "r8gd.large"}"#, "\(bad): region must not be empty"),
    .refuses(
      #"{"name": "app", "provider": "aws", "region": "us-east-1", "size": "r8g.large"}"#,
      #"\#(bad): size "r8g.large" is not one of the aws sizes: {aws sizes}; did you mean r8gd.large?"#),
    .refuses(
      #"{"name": "app", "provider": "aws", "region": "us-east-1", "size": "c4-standard-lssd-4"}"#,
      #"\#(bad): size "c4-standard-lssd-4" is a size of provider gcp, not one of the aws sizes: {aws sizes}"#),
    .refuses(createBody(#""postgresVersion": "16""#), #"\#(bad): postgresVersion "16" is not one of 18, 17"#),
    .refuses(createBody(#""postgresVersion": 17"#), "\(bad): postgresVersion must be a string, not a number"),
    .refuses(createBody(#""haType": "asyn""#), #"\#(bad): haType "asyn" is not one of none, async, sync; did you mean async?"#),
    .refuses(createBody(#""tags": {"env": "prod"}"#), "\(bad): tags must be an array, not an object"),
    .refuses(createBody(tags(51)), "\(bad): tags must have at most 50 items, not 51"),
    .refuses(createBody(#""tags": ["env"]"#), "\(bad): tags[0] must be an object, not a string"),
    .refuses(createBody(#""tags": [{"value": "prod"}]"#), "\(bad): tags[0].key is required"),
    .refuses(
      createBody(#""tags": [{"key": "ok"}, {"key": "a b"}]"#), #"\#(bad): tags[1].key "a b" must match ^[a-zA-Z0-9._-]+$"#),
    .refuses(createBody(#""tags": [{"key": "env\n"}]"#), #"\#(bad): tags[0].key "env\n" must match ^[a-zA-Z0-9._-]+$"#),
    .refuses(createBody(#""tags": [{"key": ""}]"#), "\(bad): tags[0].key must be 1 to 128 characters long, not 0"),
    .refuses(
      createBody(#""tags": [{"key": "\#(repeated("k", 129))"}]"#), "\(bad): tags[0].key must be 1 to 128 characters long, not 129"
    ),
    .refuses(
      createBody(#""tags": [{"key": "chc_owner", "value": "me"}]"#),
      #"\#(bad): tags[0].key "chc_owner" starts with the reserved prefix chc_"#),
    .refuses(createBody(#""tags": [{"key": "env", "value": ""}]"#), #"\#(bad): tags[0].value "" must match ^[a-zA-Z0-9._-]+$"#),
    .refuses(
      createBody(#""tags": [{"key": "env", "value": "\#(repeated("v", 257))"}]"#),
      "\(bad): tags[0].value must be at most 256 characters long, not 257"),
    .refuses(createBody(#""tags": [{"key": "env", "value": 5}]"#), "\(bad): tags[0].value must be a string, not a number"),
    .refuses(createBody(#""pgConfig": {}"#), "\(bad): pgConfig must not be empty"),
    .refuses(createBody(#""pgConfig": []"#), "\(bad): pgConfig must be an object, not an array"),
    .refuses(createBody(#""pgBouncerConfig": {}"#), "\(bad): pgBouncerConfig must not be empty"),
    .refuses(createBody(bouncer(65)), "\(bad): pgBouncerConfig must have at most 64 entries, not 65"),
    .refuses(
      createBody(#""pgBouncerConfig": {"default_pool_size": 16}"#),
      "\(bad): pgBouncerConfig.default_pool_size must be a string, not a number"),
    .refuses(
      createBody(#""pgConfig": {"shared_buffers": "1GB"}"#),
      "\(bad): pgConfig.shared_buffers is not one of the supported settings: {settings}"),
    .refuses(
      createBody(#""pgConfig": {"work_mme": "4MB"}"#),
      "\(bad): pgConfig.work_mme is not one of the supported settings: {settings}; did you mean work_mem?"),
    .refuses(createBody(#""pgConfig": {"max_connections": 0}"#), "\(bad): pgConfig.max_connections must be at least 1, not 0"),
    .refuses(
      createBody(#""pgConfig": {"max_connections": 1.5}"#), "\(bad): pgConfig.max_connections must be an integer, not 1.5"),
    .refuses(
      createBody(#""pgConfig": {"max_connections": 3000000000}"#),
      "\(bad): pgConfig.max_connections must be at most 2147483647, not 3000000000"),
    .refuses(
      createBody(#""pgConfig": {"max_connections": true}"#),
      "\(bad): pgConfig.max_connections must be a string or an integer, not a boolean"),
    .refuses(
      createBody(#""pgConfig": {"max_connections": "lots"}"#),
      #"\#(bad): pgConfig.max_connections "lots" must be an integer with an optional unit, such as 64MB or 30s"#),
    .refuses(
      createBody(#""pgConfig": {"work_mem": "64XB"}"#),
      #"\#(bad): pgConfig.work_mem "64XB" must be an integer with an optional unit, such as 64MB or 30s"#),
    .refuses(
      createBody(#""pgConfig": {"random_page_cost": "fast"}"#),
      #"\#(bad): pgConfig.random_page_cost "fast" must be a number, such as 1.1"#),
    .refuses(
      createBody(#""pgConfig": {"random_page_cost": -0.5}"#), "\(bad): pgConfig.random_page_cost must be at least 0, not -0.5"),
    .refuses(createBody(#""pgConfig": {"min_wal_size": 80}"#), "\(bad): pgConfig.min_wal_size must be at least 32768, not 80"),
    .refuses(
      createBody(#""pgConfig": {"default_transaction_isolation": "read comitted"}"#),
      #"\#(bad): pgConfig.default_transaction_isolation "read comitted" is not one of "read committed", "repeatable read", serializable; did you mean "read committed"?"#
    ),
    .refuses(
      createBody(#""pgConfig": {"wal_compression": 1}"#), "\(bad): pgConfig.wal_compression must be a string, not a number"),
    .refuses(
      createBody(#""pgConfig": {"odd key": 1}"#),
      #"\#(bad): pgConfig["odd key"] is not one of the supported settings: {settings}"#),
  ]

  @Test(arguments: createCases)
  func create(_ testCase: ValidationCase) throws {
    try testCase.check(RequestValidator().validateCreate)
  }

  static let patchCases: [ValidationCase] = [
    .accepts("{}"),
    .accepts(#"{"name": "renamed", "tags": []}"#),
    .accepts(#"{"size": "r8gd.xlarge", "haType": "async", "storageSize": 500}"#),
    .refuses("", "\(bad) is required"),
    .refuses("[]", "\(bad) must be a JSON object, not an array"),
    .refuses(#"{"size": "tiny"}"#, #"\#(bad): size "tiny" is not one of the aws sizes: {aws sizes}"#),
    .refuses(#"{"haType": null}"#, "\(bad): haType must be a string, not null"),
    .refuses(#"{"name": ""}"#, "\(bad): name must be 1 to 50 characters long, not 0"),
    .refuses(#"{"tags": [{"key": "chc_cost"}]}"#, #"\#(bad): tags[0].key "chc_cost" starts with the reserved prefix chc_"#),
  ]

  @Test(arguments: patchCases)
  func patch(_ testCase: ValidationCase) throws {
    try testCase.check { (body) throws(ValidationFailure) in try RequestValidator().validatePatch(body) }
  }

  static let passwordCases: [ValidationCase] = [
    .accepts(""),
    .accepts("{}"),
    .accepts(#"{"password": "GoodPassword123"}"#),
    .accepts(#"{"password": "Ünïcödé-Pässwörd-1a"}"#),
    .refuses(#"{"password": "Short1a"}"#, "\(bad): password must be 12 to 1024 characters long, not 7"),
    .refuses(#"{"password": "\#(repeated("a", 1020))AB12C"}"#, "\(bad): password must be 12 to 1024 characters long, not 1025"),
    .refuses(#"{"password": "alllowercase123"}"#, "\(bad): password must contain at least one uppercase letter"),
    .refuses(#"{"password": "ALLUPPERCASE123"}"#, "\(bad): password must contain at least one lowercase letter"),
    .refuses(#"{"password": "NoDigitsHereAtAll"}"#, "\(bad): password must contain at least one digit"),
    .refuses(#"{"password": 123456789012}"#, "\(bad): password must be a string, not a number"),
    .refuses(#""GoodPassword123""#, "\(bad) must be a JSON object, not a string"),
  ]

  @Test(arguments: passwordCases)
  func password(_ testCase: ValidationCase) throws {
    try testCase.check(RequestValidator().validatePassword)
  }

  static let stateCases: [ValidationCase] = [
    .accepts(#"{"command": "restart"}"#),
    .accepts(#"{"command": "switchover"}"#),
    .refuses("", "\(bad) is required"),
    .refuses("{}", "\(bad): command is required"),
    .refuses(#"{"command": "stop"}"#, #"\#(bad): command "stop" is not one of restart, promote, switchover"#),
    .refuses(
      #"{"command": "restrat"}"#, #"\#(bad): command "restrat" is not one of restart, promote, switchover; did you mean restart?"#
    ),
  ]

  @Test(arguments: stateCases)
  func state(_ testCase: ValidationCase) throws {
    try testCase.check(RequestValidator().validateState)
  }

  static let configCases: [ValidationCase] = [
    .accepts(#"{"pgConfig": {"max_connections": 200}, "pgBouncerConfig": {}}"#),
    .accepts(#"{"pgConfig": {}, "pgBouncerConfig": {}}"#),
    .accepts(#"{"pgConfig": {"statement_timeout": "60s"}, "pgBouncerConfig": {"pool_mode": "transaction"}}"#),
    // The spec bounds pgBouncerConfig's entries (1–64, string values) but not its keys: no pattern, no
    // length, so any key, "" included, is the spec's to accept.
    .accepts(#"{"pgConfig": {}, "pgBouncerConfig": {"": "1", "x y": ""}}"#),
    .refuses(#"{"pgConfig": {"max_connections": 200}}"#, "\(bad): pgBouncerConfig is required"),
    .refuses(#"{"pgBouncerConfig": {}}"#, "\(bad): pgConfig is required"),
    .refuses(#"{"pgConfig": null, "pgBouncerConfig": {}}"#, "\(bad): pgConfig must be an object, not null"),
    .refuses(
      #"{"pgConfig": {"fsync": "off"}, "pgBouncerConfig": {}}"#,
      "\(bad): pgConfig.fsync is not one of the supported settings: {settings}"),
    .refuses(#"{"pgConfig": {}, \#(bouncer(65))}"#, "\(bad): pgBouncerConfig must have at most 64 entries, not 65"),
  ]

  @Test(arguments: configCases)
  func config(_ testCase: ValidationCase) throws {
    try testCase.check(RequestValidator().validateConfig)
  }

  static let readReplicaCases: [ValidationCase] = [
    .accepts(#"{"name": "replica"}"#),
    .accepts(#"{"name": "replica", "tags": [{"key": "role", "value": "reader"}], "pgConfig": {"work_mem": 4096}}"#),
    .refuses("{}", "\(bad): name is required"),
    .refuses(#"{"name": "replica", "pgConfig": {}}"#, "\(bad): pgConfig must not be empty"),
  ]

  @Test(arguments: readReplicaCases)
  func readReplica(_ testCase: ValidationCase) throws {
    try testCase.check(RequestValidator().validateReadReplica)
  }

  static let restoreCases: [ValidationCase] = [
    .accepts(#"{"name": "restored", "restoreTarget": "2026-03-31T18:17:37Z"}"#),
    .accepts(#"{"name": "restored", "restoreTarget": "2024-02-29T23:59:59.123456+02:00"}"#),
    .refuses(#"{"restoreTarget": "2026-03-31T18:17:37Z"}"#, "\(bad): name is required"),
    .refuses(#"{"name": "restored"}"#, "\(bad): restoreTarget is required"),
    .refuses(
      #"{"name": "restored", "restoreTarget": "yesterday"}"#,
      #"\#(bad): restoreTarget "yesterday" must be an RFC 3339 date-time, such as 2026-01-15T09:30:00Z"#),
    .refuses(
      #"{"name": "restored", "restoreTarget": "2026-02-29T10:00:00Z"}"#,
      #"\#(bad): restoreTarget "2026-02-29T10:00:00Z" must be an RFC 3339 date-time, such as 2026-01-15T09:30:00Z"#),
    .refuses(
      #"{"name": "restored", "restoreTarget": "2026-03-31 18:17:37"}"#,
      #"\#(bad): restoreTarget "2026-03-31 18:17:37" must be an RFC 3339 date-time, such as 2026-01-15T09:30:00Z"#),
  ]

  @Test(arguments: restoreCases)
  func restore(_ testCase: ValidationCase) throws {
    try testCase.check(RequestValidator().validateRestore)
  }

  // MARK: - Normalised bodies

  @Test func createAppliesDefaultsAndDropsUnknownFields() throws {
    let request = try RequestValidator().validateCreate(JSONValue(parsing: createBody(#""storageSize": 59"#)))
    #expect(request.postgresVersion == "17")
    #expect(request.haType == "none")
    #expect(request.tags.isEmpty)
    #expect(request.pgConfig == nil && request.pgBouncerConfig == nil)
    #expect(request.storageSize == 118)
    #expect(
      request.json.description
        == #"{"name":"app","provider":"aws","region":"us-east-1","postgresVersion":"17","size":"r8gd.large","haType":"none","tags":[]}"#
    )
  }

  @Test func createKeepsTagsAndSettingsInOrder() throws {
    let body = createBody(
      #""tags": [{"key": "env", "value": "prod"}, {"key": "team"}], "#
        + #""pgConfig": {"work_mem": "64MB", "max_connections": 200, "random_page_cost": 1.1}, "#
        + #""pgBouncerConfig": {"pool_mode": "session"}"#)
    let request = try RequestValidator().validateCreate(JSONValue(parsing: body))
    #expect(request.tags == [ServiceTag(key: "env", value: "prod"), ServiceTag(key: "team")])
    #expect(request.pgConfig?.map(\.settingText) == ["64MB", "200", "1.1"])
    #expect(request.pgBouncerConfig == [BouncerEntry(name: "pool_mode", value: "session")])
    #expect(request.json["tags"]?.description == #"[{"key":"env","value":"prod"},{"key":"team"}]"#)
    #expect(request.json["pgConfig"]?.description == #"{"work_mem":"64MB","max_connections":200,"random_page_cost":1.1}"#)
  }

  @Test func patchKeepsOnlyTheFieldsSent() throws {
    let validator = RequestValidator()
    #expect(try validator.validatePatch(JSONValue(parsing: "{}")).isEmpty)
    let patch = try validator.validatePatch(JSONValue(parsing: #"{"tags": [], "storageSize": 1}"#))
    #expect(patch.tags == [] && patch.name == nil)
    #expect(patch.json.description == #"{"tags":[]}"#)
  }

  @Test func patchChecksSizesOfTheServicesProvider() throws {
    let body = try JSONValue(parsing: #"{"size": "c4-standard-lssd-8"}"#)
    #expect(try RequestValidator().validatePatch(body, provider: "gcp").size == "c4-standard-lssd-8")
    #expect(throws: ValidationFailure.self) { try RequestValidator().validatePatch(body, provider: "aws") }
  }

  @Test func passwordAbsentMeansGenerate() throws {
    #expect(try RequestValidator().validatePassword(nil).password == nil)
    #expect(try RequestValidator().validatePassword(JSONValue(parsing: "{}")).password == nil)
  }

  @Test func stateGivesTheCommand() throws {
    #expect(try RequestValidator().validateState(JSONValue(parsing: #"{"command": "promote"}"#)).command == .promote)
  }

  @Test func regionsCanBeLeftUnchecked() throws {
    let body = try JSONValue(parsing: #"{"name": "a", "provider": "aws", "region": "mars-north-1", "size": "r6gd.medium"}"#)
    #expect(throws: ValidationFailure.self) { try RequestValidator().validateCreate(body) }
    #expect(try RequestValidator(checksRegions: false).validateCreate(body).region == "mars-north-1")
  }

  /// The failure `validate` throws for `body`, or `nil` when it accepts it.
  private func failure<Request>(
    _ body: String, _ validate: (JSONValue?) throws(ValidationFailure) -> Request
  ) throws -> ValidationFailure? {
    let value = try JSONValue(parsing: body)
    do {
      _ = try validate(value)
      return nil
    } catch {
      return error
    }
  }

  @Test func failureCarriesFieldProblemAndDetail() throws {
    let error = try #require(try failure(#"{"name": "a"}"#, RequestValidator().validateCreate))
    #expect(error.field == "provider")
    #expect(error.problem == "is required")
    #expect(error.detail == "request body: provider is required")
    #expect(error.message == "BAD_REQUEST: request body: provider is required")
  }

  @Test func passwordsAreNeverEchoed() throws {
    let secret = "onlylowercase-and-long-enough-9"
    let error = try #require(try failure(#"{"password": "\#(secret)"}"#, RequestValidator().validatePassword))
    #expect(!error.message.contains(secret))
  }

  @Test func longValuesAreShortenedInMessages() throws {
    let error = try #require(try failure(createBody(#""haType": "\#(repeated("x", 200))""#), RequestValidator().validateCreate))
    #expect(error.message == #"BAD_REQUEST: request body: haType "\#(repeated("x", 63))…" is not one of none, async, sync"#)
  }

  @Test func parseBody() throws {
    #expect(try RequestValidator.parseBody(Array(" \n".utf8)) == nil)
    #expect(try RequestValidator.parseBody(Array(#"{"a": 1}"#.utf8))?["a"]?.numberValue == 1)
    #expect {
      _ = try RequestValidator.parseBody(Array("{".utf8))
    } throws: { error in
      (error as? ValidationFailure)?.message.hasPrefix("BAD_REQUEST: request body is not valid JSON: ") == true
    }
  }

  // MARK: - Derived facts

  @Test func storageSizes() {
    #expect(PostgresSpec.storageSize(for: "r6gd.medium") == 59)
    #expect(PostgresSpec.storageSize(for: "r8gd.large") == 118)
    #expect(PostgresSpec.storageSize(for: "r8gd.2xlarge") == 472)
    #expect(PostgresSpec.storageSize(for: "c4a-standard-lssd-4") == 375)
    #expect(PostgresSpec.storageSize(for: "nope") == nil)
    for size in PostgresSpec.sizes {
      #expect((PostgresSpec.storageSize(for: size) ?? 0) > 0, "no storage for \(size)")
    }
  }

  @Test func everySizeBelongsToOneProvider() {
    let sizes = PostgresSpec.sizes
    #expect(Set(sizes).count == sizes.count)
    #expect(PostgresSpec.provider(ofSize: "r8gd.large") == "aws")
    #expect(PostgresSpec.provider(ofSize: "z3-highmem-highlssd-8") == "gcp")
  }

  // MARK: - Suggestions

  static let suggestionCases: [(String, [String], String?)] = [
    ("r8g.large", PostgresSpec.sizes, "r8gd.large"),
    ("asnyc", PostgresSpec.haTypes, "async"),
    ("ASYNC", PostgresSpec.haTypes, "async"),
    ("us-east", PostgresSpec.regions(for: "aws"), "us-east-1"),
    ("work_mme", PostgresSpec.settings.map(\.name), "work_mem"),
    ("something", PostgresSpec.haTypes, nil),
    ("16", PostgresSpec.postgresVersions, nil),
    ("async", PostgresSpec.haTypes, nil),
  ]

  @Test(arguments: suggestionCases)
  func suggestion(_ input: String, _ candidates: [String], _ expected: String?) {
    #expect(Suggestion.closest(to: input, among: candidates) == expected)
  }

  @Test func editDistance() {
    #expect(Suggestion.editDistance("", "abc") == 3)
    #expect(Suggestion.editDistance("kitten", "sitting") == 3)
    #expect(Suggestion.editDistance("restrat", "restart") == 1)
    #expect(Suggestion.didYouMean("serializible", among: ["read committed", "serializable"]) == "did you mean serializable?")
  }
}
