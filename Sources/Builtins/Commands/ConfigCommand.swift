import CloudAPI
import Interpreter
import JQ
import PostgresAPISpec

/// `config REF`, `config REF set key=value…` (PATCH: merge), `config REF replace {…}` (POST).
public struct ConfigCommand: APICommand {
  public let name = "config"
  public let summary = "Show a service's PostgreSQL and PgBouncer settings, change some (set), or replace them all."
  public let usage = "config REF | config REF set key=value… | config REF replace BODY [--yes]"
  public let examples = [
    "config $pg", "config $pg set max_connections=200 work_mem=8MB",
    #"config $pg replace {pgConfig: {max_connections: "100"}, pgBouncerConfig: {}} --yes"#,
  ]
  public let options = [
    CommandOption("from", takesValue: true, summary: "Read the body of `replace` from FILE."),
    CommandOption(
      "yes", summary: "Replace without asking (settings left out return to their defaults); required off a terminal."),
  ]
  static let replaceAction = Consent.Action(
    question: "Replace every setting of Postgres service",
    consequence: "Settings the body leaves out return to their defaults; this cannot be undone")
  public let session: APISession
  public var firstArgumentIsService: Bool { true }

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    guard let reference = call.positionals.first else { throw call.usageError("usage: \(usage)") }
    let rest = Array(call.positionals.dropFirst())
    if let yes = call.options["yes"], rest.first?.word != "replace" {
      throw call.usageError("--yes belongs to `config REF replace`, the one form that asks", at: yes.span)
    }
    let body = try checkedBody(call, rest: rest, context: context)
    if rest.first?.word == "replace" { try Consent.requireAskable(call, session) }
    if body != nil { try await session.requireWritable(for: call, in: context) }
    let (id, path) = try await session.servicePath(of: reference, suffix: "/config", for: call, in: context)
    guard let action = rest.first, let body else {
      return try await session.send(APIRequest("GET", path), for: call, in: context).result
    }
    if action.word == "replace" {
      try await Consent.ask(Self.replaceAction, serviceID: id, call, session, context)
      return try await session.send(APIRequest("POST", path, body: body), for: call, in: context).result
    }
    return try await session.send(APIRequest("PATCH", path, body: body), for: call, in: context).result
  }

  /// The body of `set` or `replace`, checked before anything is sent; `nil` when the call only reads.
  private func checkedBody(_ call: CommandCall, rest: [CallValue], context: CommandContext) throws -> JSONValue? {
    guard let action = rest.first else {
      guard call.fields.isEmpty else {
        throw call.usageError("to change settings write `config REF set key=value…`", at: call.fields[0].value.span)
      }
      return nil
    }
    let body: JSONValue
    switch action.word {
    case "set":
      guard rest.count == 1, !call.fields.isEmpty else {
        throw call.usageError("usage: config REF set key=value…", at: action.span)
      }
      // PostgreSQL parameters go to pgConfig; `pgbouncer.NAME=…` goes to pgBouncerConfig.
      var postgres: [(String, JSONValue)] = []
      var bouncer: [(String, JSONValue)] = []
      for field in call.fields {
        if field.key.hasPrefix("pgbouncer.") {
          bouncer.append((String(field.key.dropFirst("pgbouncer.".count)), field.value.value))
        } else {
          postgres.append((field.key, field.value.value))
        }
      }
      body = JSONValue(object: [("pgConfig", JSONValue(object: postgres)), ("pgBouncerConfig", JSONValue(object: bouncer))])
    case "replace":
      guard let replacement = try RequestBody.build(call, objects: Array(rest.dropFirst()), context: context) else {
        throw call.usageError("usage: config REF replace {pgConfig: {…}, pgBouncerConfig: {…}}", at: action.span)
      }
      body = replacement
    default:
      throw call.usageError("expected `set` or `replace` after the service, not `\(action.text)`", at: action.span)
    }
    try BodyChecks.check(call) { () throws(ValidationFailure) in try BodyChecks.validator.validateConfig(body) }
    return body
  }
}
