import JQ

/// The field names each request body may carry, so a client can refuse a misspelt one before it is sent.
///
/// The API itself ignores properties it does not know (none of its bodies closes them), so a typo such as
/// `postgresversion` would be dropped without a word and the default used. Known means: the spec's
/// properties (`PostgresSpec.bodyFields`, generated), plus the few that ClickHouse documents elsewhere.
public enum KnownFields {
  /// Fields that ClickHouse's own documentation sends although the OpenAPI document does not list them:
  /// the create walkthrough still sends `storageSize`, which the API derives from the size today.
  static let documentedElsewhere: [String: [String]] = [
    "PostgresServicePostRequest": ["storageSize"]
  ]

  /// The schema of an object nested in a body, and whether the member holds an array of them.
  struct Nested {
    let schema: String
    let isArray: Bool
  }

  /// Objects inside the bodies whose fields are checked too: by the schema that holds them, the member
  /// and its schema (as the spec's `$ref`s give them; `ValidationSpecTests` checks this table).
  static let nested: [String: [String: Nested]] = [
    "PostgresServicePostRequest": [
      "tags": Nested(schema: "ResourceTagsV1", isArray: true),
      "ipAccessList": Nested(schema: "PostgresIpAccessListEntry", isArray: true),
    ],
    "PostgresServicePatchRequest": [
      "tags": Nested(schema: "ResourceTagsV1", isArray: true),
      "ipAccessList": Nested(schema: "PostgresIpAccessListPatch", isArray: false),
    ],
    "PostgresServiceReadReplicaRequest": ["tags": Nested(schema: "ResourceTagsV1", isArray: true)],
    "PostgresServiceRestoreRequest": ["tags": Nested(schema: "ResourceTagsV1", isArray: true)],
    "PostgresIpAccessListPatch": [
      "add": Nested(schema: "PostgresIpAccessListEntry", isArray: true),
      "remove": Nested(schema: removalSchema, isArray: true),
    ],
  ]

  /// The items of `ipAccessList.remove`, an inline schema in the spec with the one property `id`.
  static let removalSchema = "PostgresIpAccessListPatch.remove"

  /// The fields an object of `schema` may carry, in the spec's order; empty for an unknown schema.
  public static func names(of schema: String) -> [String] {
    if schema == removalSchema { return ["id"] }
    return (PostgresSpec.bodyFields[schema] ?? []) + (documentedElsewhere[schema] ?? [])
  }

  /// Fails at the first member of `value` (an object of `schema` at `path`), or of an object nested in
  /// it, that the API does not know. Values of other kinds are left to the type checks.
  static func refuseUnknown(_ value: JSONValue, schema: String, path: String = "") throws(ValidationFailure) {
    guard let members = value.objectMembers else { return }
    let known = names(of: schema)
    for (name, member) in members {
      let memberPath = path.isEmpty ? name : path + RequestValidator.memberPath(name)
      guard known.contains(name) else { throw .unknownField(memberPath, name: name, known: known) }
      guard let nested = nested[schema]?[name] else { continue }
      if nested.isArray {
        for (index, item) in (member.arrayElements ?? []).enumerated() {
          try refuseUnknown(item, schema: nested.schema, path: "\(memberPath)[\(index)]")
        }
      } else {
        try refuseUnknown(member, schema: nested.schema, path: memberPath)
      }
    }
  }
}
