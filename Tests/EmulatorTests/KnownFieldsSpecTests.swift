import Foundation
import JQ
import Testing

@testable import PostgresAPISpec

/// ClickHouse Cloud's OpenAPI document and the Postgres additions, beside the repository.
private enum BodySpecFiles {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("../shared/spec").standardized
  static let openAPI = directory.appendingPathComponent("clickhouse_cloud_openapi.json").path
  static let additions = directory.appendingPathComponent("postgres-additions.json").path
  static let present =
    FileManager.default.isReadableFile(atPath: openAPI) && FileManager.default.isReadableFile(atPath: additions)
}

/// The spec's request bodies, read straight from ClickHouse's OpenAPI document (and the additions),
/// against the client's strict validator: every field the spec declares is accepted, and each mutated
/// name (case changed, a letter dropped) is refused at that name with the right suggestion.
@Suite(
  .enabled(
    if: BodySpecFiles.present,
    "needs ../shared/spec/clickhouse_cloud_openapi.json and postgres-additions.json beside the repository"))
struct KnownFieldsSpecTests {
  let document: JSONValue
  let additions: JSONValue
  let validator = RequestValidator(checksRegions: false, refusesUnknownFields: true)

  init() throws {
    document = try #require(try JSONValue.parseFile(atPath: BodySpecFiles.openAPI).first)
    additions = try #require(try JSONValue.parseFile(atPath: BodySpecFiles.additions).first)
  }

  /// The schema a `$ref` names, in either document.
  func schema(_ reference: String) -> (name: String, properties: [String]) {
    let name = String(reference.split(separator: "/").last ?? "")
    let main = (document["components"]?["schemas"]?[name]?["properties"]?.objectMembers ?? []).map(\.key)
    let extra = (additions["components"]?["schemas"]?[name]?["properties"]?.objectMembers ?? []).map(\.key)
    return (name, main + extra.filter { !main.contains($0) })
  }

  /// `(schema, properties)` of every request body of a Postgres endpoint, as the spec declares them.
  func requestBodies() -> [(name: String, properties: [String])] {
    var seen: [String] = []
    for (path, item) in document["paths"]?.objectMembers ?? [] where path.contains("/postgres") {
      for (_, operation) in item.objectMembers ?? [] {
        if let reference = operation["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"]?.stringValue,
          !seen.contains(reference)
        {
          seen.append(reference)
        }
      }
    }
    return seen.map(schema)
  }

  /// Runs the validator of the body `schema` on `body`; the failure, or `nil` when it passed.
  func failure(of schema: String, _ body: JSONValue) -> ValidationFailure? {
    do {
      switch schema {
      case "PostgresServicePostRequest": _ = try validator.validateCreate(body)
      case "PostgresServicePatchRequest": _ = try validator.validatePatch(body)
      case "PostgresServiceRestoreRequest": _ = try validator.validateRestore(body)
      case "PostgresServiceSetPassword": _ = try validator.validatePassword(body)
      case "PostgresServiceSetState": _ = try validator.validateState(body)
      case "PostgresServiceReadReplicaRequest": _ = try validator.validateReadReplica(body)
      case "postgresInstanceConfig": _ = try validator.validateConfig(body)
      default: Issue.record("no validator for \(schema): a new request body in the spec")
      }
      return nil
    } catch {
      return error
    }
  }

  /// The mutations of a field name a person makes: its first letter's case flipped, a middle letter dropped.
  static func typos(of name: String) -> [String] {
    let first = name.prefix(1)
    var typos = [(first == first.uppercased() ? first.lowercased() : first.uppercased()) + name.dropFirst()]
    if name.count >= 4 {
      let middle = name.index(name.startIndex, offsetBy: name.count / 2)
      typos.append(String(name[..<middle] + name[name.index(after: middle)...]))
    }
    return typos
  }

  @Test func everyBodyFieldIsAcceptedAndItsTyposAreRefused() throws {
    let bodies = requestBodies()
    #expect(bodies.count == 7, "the spec has \(bodies.count) Postgres request bodies")
    for (schema, properties) in bodies {
      #expect(!properties.isEmpty, "\(schema) has no properties")
      for property in properties + (KnownFields.documentedElsewhere[schema] ?? []) {
        let body = JSONValue(object: [(property, JSONValue("x"))])
        let accepted = failure(of: schema, body)
        #expect(accepted?.problem.contains("is not a field") != true, "\(schema).\(property) refused as unknown: \(accepted!)")
        for typo in Self.typos(of: property) {
          let refused = try #require(failure(of: schema, JSONValue(object: [(typo, JSONValue("x"))])), "\(schema) took \(typo)")
          #expect(refused.field == typo, "\(schema): \(refused)")
          #expect(refused.problem == "is not a field of this request; did you mean \(property)?", "\(schema): \(refused)")
        }
      }
    }
  }

  /// Objects nested in the bodies (tags, access rules) are checked the same way, through the schemas
  /// their `$ref`s name.
  @Test func nestedFieldsFollowTheSpecsReferences() throws {
    for (holder, members) in KnownFields.nested {
      for (member, nested) in members {
        let property = try #require(
          document["components"]?["schemas"]?[holder]?["properties"]?[member]
            ?? additions["components"]?["schemas"]?[holder]?["properties"]?[member],
          "\(holder).\(member) is not in the spec")
        // `tags` is a `$ref` to `pgTags`, an array of `ResourceTagsV1`: follow a reference to an array.
        var declared = property
        if nested.isArray, property["items"] == nil, let target = property["$ref"]?.stringValue,
          let array = document["components"]?["schemas"]?[String(target.split(separator: "/").last ?? "")]
        {
          declared = array
        }
        let reference = (nested.isArray ? declared["items"] : declared)?["$ref"]?.stringValue
        if nested.schema == KnownFields.removalSchema {
          let inline = (property["items"]?["properties"]?.objectMembers ?? []).map(\.key)
          #expect(inline == KnownFields.names(of: nested.schema), "\(holder).\(member)")
        } else {
          #expect(reference == "#/components/schemas/\(nested.schema)", "\(holder).\(member) refers to \(reference ?? "nothing")")
          #expect(KnownFields.names(of: nested.schema) == schema(nested.schema).properties, "\(nested.schema)")
        }
      }
    }
    let tag = try #require(
      failure(of: "PostgresServicePatchRequest", try JSONValue(parsing: #"{"tags": [{"key": "env", "Value": "x"}]}"#)))
    #expect(tag.field == "tags[0].Value" && tag.problem.hasSuffix("did you mean value?"), "\(tag)")
    let rule = try #require(
      failure(
        of: "PostgresServicePatchRequest",
        try JSONValue(parsing: #"{"ipAccessList": {"add": [{"source": "1.2.3.4", "descripton": ""}]}}"#)))
    #expect(rule.field == "ipAccessList.add[0].descripton" && rule.problem.hasSuffix("did you mean description?"), "\(rule)")
  }

  /// The emulator, like the API, ignores what it does not know.
  @Test func theEmulatorStaysLenient() throws {
    let body = try JSONValue(
      parsing: #"{"name": "x", "provider": "aws", "region": "us-east-1", "size": "r8gd.large", "postgresversion": "18"}"#)
    #expect(try RequestValidator().validateCreate(body).postgresVersion == PostgresSpec.defaultPostgresVersion)
  }
}
