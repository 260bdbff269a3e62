import Foundation
import JQ
import Testing

@testable import PostgresAPISpec

/// ClickHouse Cloud's OpenAPI document and the Postgres additions, beside the repository.
private enum SpecFiles {
  /// The package root: this file is Tests/EmulatorTests/<name>.swift.
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let directory = packageRoot.appendingPathComponent("../shared/spec").standardized
  static let openAPI = directory.appendingPathComponent("clickhouse_cloud_openapi.json").path
  static let additions = directory.appendingPathComponent("postgres-additions.json").path
  static let present =
    FileManager.default.isReadableFile(atPath: openAPI)
    && FileManager.default.isReadableFile(atPath: additions)

  static func schemas(_ path: String) throws -> JSONValue {
    let document = try #require(try JSONValue.parseFile(atPath: path).first)
    return try #require(document["components"]?["schemas"])
  }
}

private extension JSONValue {
  var strings: [String] { (arrayElements ?? []).compactMap(\.stringValue) }
  var keys: [String] { (objectMembers ?? []).map(\.key) }
  var int: Int? { numberValue.map { Int($0) } }
}

/// Cross-checks the generated and hand-written tables against the spec so they cannot drift apart.
/// Regenerate with `scripts/gen-spec-tables` when one of these fails after a spec update.
@Suite(
  .enabled(
    if: SpecFiles.present, "needs ../shared/spec/clickhouse_cloud_openapi.json and postgres-additions.json beside the repository")
)
struct ValidationSpecTests {
  let schemas: JSONValue
  let additions: JSONValue

  init() throws {
    schemas = try SpecFiles.schemas(SpecFiles.openAPI)
    additions = try SpecFiles.schemas(SpecFiles.additions)
  }

  private func schema(_ name: String) throws -> JSONValue {
    try #require(schemas[name], "no schema \(name) in the spec")
  }

  @Test func enums() throws {
    #expect(PostgresSpec.sizes(for: "aws") == (try schema("pgSize"))["enum"]?.strings)
    let allSizes = try #require(additions["pgSize"]?["enum"]?.strings)
    #expect(Set(PostgresSpec.sizes) == Set(allSizes))
    #expect(PostgresSpec.sizes(for: "gcp") == allSizes.filter { !PostgresSpec.sizes(for: "aws").contains($0) })
    let providers = try #require(try schema("pgProvider")["enum"]?.strings)
    #expect(
      PostgresSpec.providers == providers + (additions["pgProvider"]?["enum"]?.strings ?? []).filter { !providers.contains($0) })
    #expect(PostgresSpec.postgresVersions == (try schema("pgVersion"))["enum"]?.strings)
    #expect(PostgresSpec.postgresVersions.contains(PostgresSpec.defaultPostgresVersion))
    #expect(PostgresSpec.haTypes == (try schema("pgHaType"))["enum"]?.strings)
    #expect(PostgresSpec.haTypes.contains(PostgresSpec.defaultHaType))
    #expect(PostgresSpec.serviceStates == (try schema("pgStateProperty"))["enum"]?.strings)
    let commands = try schema("PostgresServiceSetState")["properties"]?["command"]?["enum"]?.strings
    #expect(PostgresSpec.stateCommands == commands)
    #expect(StateCommand.allCases.map(\.rawValue) == commands)
  }

  @Test func regionsAreRegionsClickHouseCloudOffers() throws {
    let offered = Set(try schema("ServicePostRequest")["properties"]?["region"]?["enum"]?.strings ?? [])
    for provider in PostgresSpec.providers {
      #expect(!PostgresSpec.regions(for: provider).isEmpty, "no regions for \(provider)")
      for region in PostgresSpec.regions(for: provider) {
        #expect(offered.contains(region), "\(region) is not a ClickHouse Cloud region")
      }
    }
  }

  @Test func lengthsAndPatterns() throws {
    let name = try schema("pgNameProperty")
    #expect(PostgresSpec.nameLength == (name["minLength"]?.int ?? -1)...(name["maxLength"]?.int ?? -1))
    #expect(PostgresSpec.maximumTagCount == (try schema("pgTags"))["maxItems"]?.int)
    let tag = try #require(try schema("ResourceTagsV1")["properties"])
    #expect(PostgresSpec.tagKeyLength == (tag["key"]?["minLength"]?.int ?? -1)...(tag["key"]?["maxLength"]?.int ?? -1))
    #expect(PostgresSpec.tagKeyPattern == tag["key"]?["pattern"]?.stringValue)
    #expect(PostgresSpec.maximumTagValueLength == tag["value"]?["maxLength"]?.int)
    #expect(PostgresSpec.tagValuePattern == tag["value"]?["pattern"]?.stringValue)
    #expect(try schema("ResourceTagsV1")["required"]?.strings == ["key"])
    let password = try schema("pgPassword")
    #expect(PostgresSpec.passwordLength == (password["minLength"]?.int ?? -1)...(password["maxLength"]?.int ?? -1))
    #expect(PostgresSpec.passwordPatterns == (password["allOf"]?.arrayElements ?? []).compactMap { $0["pattern"]?.stringValue })
    for pattern in [PostgresSpec.tagKeyPattern, PostgresSpec.tagValuePattern] + PostgresSpec.passwordPatterns {
      #expect(SpecPattern(pattern).isValid, "Swift cannot compile \(pattern)")
    }
    for pattern in PostgresSpec.passwordPatterns {
      #expect(!RequestValidator.characterName(pattern).hasPrefix("character matching"), "no words for \(pattern)")
    }
    let bouncer = try schema("pgBouncerConfig")
    #expect(PostgresSpec.pgBouncerEntryCount == (bouncer["minProperties"]?.int ?? -1)...(bouncer["maxProperties"]?.int ?? -1))
    #expect(bouncer["additionalProperties"]?["type"]?.stringValue == "string")
  }

  @Test func pgConfigSettings() throws {
    let pgConfig = try schema("pgConfig")
    #expect(pgConfig["additionalProperties"]?.boolValue == false)
    #expect(PostgresSpec.minimumPgConfigEntryCount == pgConfig["minProperties"]?.int)
    let properties = try #require(pgConfig["properties"]?.objectMembers)
    #expect(PostgresSpec.settings.map(\.name) == properties.map(\.key))
    for (name, property) in properties {
      let setting = try #require(PostgresSpec.setting(named: name))
      let types = property["type"]?.arrayElements?.compactMap(\.stringValue) ?? [property["type"]?.stringValue ?? ""]
      switch setting.kind {
      case .choice(let allowed):
        #expect(allowed == property["enum"]?.strings, "\(name)")
        #expect(types == ["string"], "\(name)")
      case .integer:
        #expect(Set(types) == ["string", "integer"], "\(name)")
      case .number:
        #expect(Set(types) == ["string", "number"], "\(name)")
      }
      #expect(setting.minimum == property["minimum"]?.numberValue, "\(name) minimum")
      #expect(setting.maximum == property["maximum"]?.numberValue, "\(name) maximum")
    }
  }

  /// The validator reads exactly the properties each body's schema lists, and requires what it requires.
  @Test(arguments: [
    (
      "PostgresServicePostRequest",
      ["name", "provider", "region", "postgresVersion", "size", "haType", "tags", "pgConfig", "pgBouncerConfig"],
      ["name", "provider", "region", "size"]
    ),
    ("PostgresServicePatchRequest", ["name", "size", "haType", "tags"], []),
    ("PostgresServiceSetPassword", ["password"], []),
    ("PostgresServiceSetState", ["command"], []),
    ("postgresInstanceConfig", ["pgConfig", "pgBouncerConfig"], ["pgConfig", "pgBouncerConfig"]),
    ("PostgresServiceReadReplicaRequest", ["name", "pgConfig", "pgBouncerConfig", "tags"], ["name"]),
    (
      "PostgresServiceRestoreRequest", ["name", "restoreTarget", "pgConfig", "pgBouncerConfig", "tags"],
      ["name", "restoreTarget"]
    ),
  ])
  func bodies(_ name: String, _ properties: [String], _ required: [String]) throws {
    let body = try schema(name)
    #expect(body["properties"]?.keys == properties)
    #expect((body["required"]?.strings ?? []) == required)
    #expect(body["additionalProperties"] == nil, "\(name) now closes its properties: unknown ones must be refused")
  }

  @Test func theCreateBodyOfTheAdditionsOnlyAddsIgnoredFields() throws {
    let added = Set(additions["PostgresServicePostRequest"]?["properties"]?.keys ?? [])
      .subtracting(try schema("PostgresServicePostRequest")["properties"]?.keys ?? [])
    #expect(added == ["ipAccessList"])
  }
}
