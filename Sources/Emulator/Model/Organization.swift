import JQ

/// The emulator's single organization and the API key that may use it.
struct Organization: Sendable {
  var id: String
  var name: String
  var createdAt: String

  /// The API's view of an organization.
  var json: JSONValue {
    JSONValue(object: [
      ("id", JSONValue(id)), ("name", JSONValue(name)), ("createdAt", JSONValue(createdAt)),
      ("privateEndpoints", JSONValue(array: [])), ("byocConfig", JSONValue(array: [])),
    ])
  }
}

/// An API key: HTTP Basic credentials (key id as user, secret as password).
struct APIKey: Sendable, Equatable {
  var id: String
  var secret: String
}
