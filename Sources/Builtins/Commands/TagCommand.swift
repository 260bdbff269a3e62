import CloudAPI
import Interpreter
import JQ

/// `tag REF key=value…` and `untag REF key…`: read the tags, merge, and PATCH the whole list back.
public struct TagCommand: Command {
  public let name: String
  public let summary: String
  public let usage: String
  public let examples: [String]
  public let options: [CommandOption] = []
  let removing: Bool
  let session: APISession

  /// `tag` (adding) or `untag` (removing).
  public init(removing: Bool, session: APISession) {
    self.removing = removing
    self.session = session
    name = removing ? "untag" : "tag"
    summary = removing ? "Remove tags from a service by key." : "Add or change tags on a service, keeping the others."
    usage = removing ? "untag REF KEY…" : "tag REF key=value…"
    examples = removing ? ["untag $pg Environment", "untag my-db team owner"] : ["tag $pg Environment=production", "tag my-db team=data owner=ana"]
  }

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    guard let reference = call.positionals.first else { throw call.usageError("usage: \(usage)") }
    if removing {
      guard call.positionals.count > 1, call.fields.isEmpty else { throw call.usageError("usage: \(usage)") }
    } else {
      guard call.positionals.count == 1, !call.fields.isEmpty else { throw call.usageError("usage: \(usage)", at: call.positionals.dropFirst().first?.span) }
    }
    let id = try await ServiceReference.id(reference, session, call, context)
    let path = try await session.postgresPath("/\(id)", call, context)
    let current = try await session.send(APIRequest("GET", path), call, context).result
    var tags: [JSONValue] = current["tags"]?.arrayElements ?? []
    if removing {
      let keys = Set(call.positionals.dropFirst().map(\.text))
      tags.removeAll { keys.contains($0["key"]?.stringValue ?? "") }
    } else {
      for field in call.fields {
        let tag = JSONValue(object: [("key", JSONValue(field.key)), ("value", field.value.value)])
        if let index = tags.firstIndex(where: { $0["key"]?.stringValue == field.key }) {
          tags[index] = tag
        } else {
          tags.append(tag)
        }
      }
    }
    let body = JSONValue(object: [("tags", JSONValue(array: tags))])
    return try await session.send(APIRequest("PATCH", path, body: body), call, context).result
  }
}
