import CloudAPI
import Interpreter
import JQ
import PostgresAPISpec

/// `tag REF key=value…` and `untag REF key…`: read the tags, merge, and PATCH the whole list back.
public struct TagCommand: APICommand {
  public let name: String
  public let summary: String
  public let usage: String
  public let examples: [String]
  public let options: [CommandOption] = []
  let removing: Bool
  public let session: APISession
  public var firstArgumentIsService: Bool { true }

  /// `tag` (adding) or `untag` (removing).
  public init(removing: Bool, session: APISession) {
    self.removing = removing
    self.session = session
    name = removing ? "untag" : "tag"
    summary = removing ? "Remove tags from a service by key." : "Add or change tags on a service, keeping the others."
    usage = removing ? "untag REF KEY…" : "tag REF key=value…"
    examples =
      removing
      ? ["untag $pg Environment", "untag my-db team owner"] : ["tag $pg Environment=production", "tag my-db team=data owner=ana"]
  }

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    guard let reference = call.positionals.first else { throw call.usageError("usage: \(usage)") }
    if removing {
      guard call.positionals.count > 1, call.fields.isEmpty else { throw call.usageError("usage: \(usage)") }
    } else {
      guard call.positionals.count == 1, !call.fields.isEmpty else {
        throw call.usageError("usage: \(usage)", at: call.positionals.dropFirst().first?.span)
      }
    }
    let added = call.fields.map { JSONValue(object: [("key", JSONValue($0.key)), ("value", $0.value.value)]) }
    // The new tags are checked before anything is sent, the merged list (at most 50) before the PATCH.
    try checkTags(added, call)
    try await session.requireWritable(for: call, in: context)
    let (id, path) = try await session.servicePath(of: reference, for: call, in: context)
    let current = try await session.send(APIRequest("GET", path), for: call, in: context).result
    var tags: [JSONValue] = current["tags"]?.arrayElements ?? []
    if removing {
      let keys = Set(call.positionals.dropFirst().map(\.text))
      tags.removeAll { keys.contains($0["key"]?.stringValue ?? "") }
    } else {
      for tag in added {
        if let index = tags.firstIndex(where: { $0["key"]?.stringValue == tag["key"]?.stringValue }) {
          tags[index] = tag
        } else {
          tags.append(tag)
        }
      }
      try checkTags(tags, call)
    }
    let body = JSONValue(object: [("tags", JSONValue(array: tags))])
    return try await session.send(APIRequest("PATCH", path, body: body), for: call, in: context).result
  }

  /// Fails, at the `key=value` that caused it, when `tags` break the API's rules for tags.
  private func checkTags(_ tags: [JSONValue], _ call: CommandCall) throws {
    let body = JSONValue(object: [("tags", JSONValue(array: tags))])
    do {
      _ = try BodyChecks.validator.validatePatch(body)
    } catch {
      // `tags[2].value` is the third tag: name it by its key, at the `key=value` that gave it.
      guard let index = Self.tagIndex(in: error.field), index < tags.count, let key = tags[index]["key"]?.stringValue else {
        throw call.usageError(BodyChecks.message(for: error))
      }
      let member = error.field.hasSuffix(".key") ? "key" : "value"
      throw call.usageError("tag \(member) \(error.problem)", at: BodyChecks.span(of: key, in: call))
    }
  }

  /// `2` for `tags[2].value`.
  static func tagIndex(in field: String) -> Int? {
    guard field.hasPrefix("tags["), let close = field.firstIndex(of: "]") else { return nil }
    return Int(field[field.index(field.startIndex, offsetBy: 5)..<close])
  }
}
