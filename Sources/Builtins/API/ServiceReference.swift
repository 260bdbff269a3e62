import CloudAPI
import Interpreter
import JQ
import Outcomes
import PostgresAPISpec
import Suggestions

/// A REF argument: a service id, an object with `.id` (so `get $pg` works on a create result), or
/// an exact service name, resolved by listing.
struct ServiceReference {
  /// What a reference says without asking the API: the id itself, or a name to look up.
  enum Written {
    case id(String)
    case name(String)
  }

  /// The service id `argument` refers to.
  static func id(of argument: CallValue, through session: APISession, for call: CommandCall, in context: CommandContext)
    async throws -> String
  {
    let text: String
    switch try written(argument.value, word: argument.word, at: argument.span) {
    case .id(let id): return id
    case .name(let name): text = name
    }
    // A look ahead (`--step`) names the service as written; a dry run needs an id-shaped placeholder.
    if RequestRehearsal.current != nil { return "<\(text)>" }
    if session.isDryRun { return DryRun.placeholderID }
    let services =
      try await session.send(
        APIRequest("GET", try await session.postgresPath("", for: call, in: context)), for: call, in: context
      ).result.arrayElements ?? []
    return try id(named: text, among: services, at: argument.span)
  }

  /// An object's `.id`, an id, or else the name to look up; a value that is none of them is a usage error.
  static func written(_ value: JSONValue, word: String?, at span: SourceSpan) throws -> Written {
    if value.kind == .object {
      guard let id = value["id"]?.stringValue else {
        throw RuntimeError(
          kind: .usage, message: "this object has no `id`; pass a service, its id or its name", at: span,
          exitCode: ExitStatus.usageError)
      }
      return .id(id)
    }
    guard let text = value.stringValue ?? word, !text.isEmpty else {
      throw RuntimeError(
        kind: .usage, message: "expected a service (its id, its name, or an object with `.id`), not \(value.dumped(.compact))",
        at: span, exitCode: ExitStatus.usageError)
    }
    return isUUID(text) ? .id(text.lowercased()) : .name(text)
  }

  /// The id of the one service in `services` named `name`; else says which services there are (and
  /// the closest name), or that several share it.
  static func id(named name: String, among services: [JSONValue], at span: SourceSpan) throws -> String {
    let matches = services.filter { $0["name"]?.stringValue == name }
    if matches.count == 1, let id = matches[0]["id"]?.stringValue { return id }
    if matches.isEmpty {
      let names = services.compactMap { $0["name"]?.stringValue }
      let known = names.isEmpty ? "there are no services" : "services: \(names.sorted().joined(separator: ", "))"
      var message = "no service is named `\(name)` (\(known))"
      if let suggestion = Suggestion.closest(to: name, among: names) { message += "; did you mean `\(suggestion)`?" }
      throw RuntimeError(kind: .notFound, message: message, at: span)
    }
    let ids = matches.compactMap { $0["id"]?.stringValue }
    throw RuntimeError(
      kind: .ambiguous, message: "\(matches.count) services are named `\(name)`: \(ids.joined(separator: ", ")); use an id",
      at: span)
  }

  /// 8-4-4-4-12 hexadecimal digits.
  static func isUUID(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    guard bytes.count == 36 else { return false }
    for (index, byte) in bytes.enumerated() {
      if index == 8 || index == 13 || index == 18 || index == 23 {
        guard byte == UInt8(ascii: "-") else { return false }
      } else {
        let isHex = (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x66)
        guard isHex else { return false }
      }
    }
    return true
  }
}
