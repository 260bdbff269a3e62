import CloudAPI
import Interpreter
import JQ
import PostgresAPISpec

/// `config REF`, `config REF set key=value…` (PATCH: merge), `config REF replace {…}` (POST).
public struct ConfigCommand: Command {
  public let name = "config"
  public let summary = "Show a service's PostgreSQL and PgBouncer settings, change some (set), or replace them all."
  public let usage = "config REF | config REF set key=value… | config REF replace BODY"
  public let examples = [
    "config $pg", "config $pg set max_connections=200 work_mem=8MB",
    #"config $pg replace {pgConfig: {max_connections: "100"}, pgBouncerConfig: {}}"#,
  ]
  public let options = [CommandOption("from", takesValue: true, summary: "Read the body of `replace` from FILE.")]
  let session: APISession

  /// The command, sending through `session`.
  public init(session: APISession) {
    self.session = session
  }

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    guard let reference = call.positionals.first else { throw call.usageError("usage: \(usage)") }
    let id = try await ServiceReference.id(reference, session, call, context)
    let path = try await session.postgresPath("/\(id)/config", call, context)
    let rest = Array(call.positionals.dropFirst())
    guard let action = rest.first else {
      guard call.fields.isEmpty else { throw call.usageError("to change settings write `config REF set key=value…`", at: call.fields[0].value.span) }
      return try await session.send(APIRequest("GET", path), call, context).result
    }
    switch action.word {
    case "set":
      guard rest.count == 1, !call.fields.isEmpty else { throw call.usageError("usage: config REF set key=value…", at: action.span) }
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
      let body = JSONValue(object: [("pgConfig", JSONValue(object: postgres)), ("pgBouncerConfig", JSONValue(object: bouncer))])
      try BodyChecks.check(call) { () throws(ValidationFailure) in try BodyChecks.validator.validateConfig(body) }
      return try await session.send(APIRequest("PATCH", path, body: body), call, context).result
    case "replace":
      guard let body = try RequestBody.build(call, objects: Array(rest.dropFirst()), context: context) else {
        throw call.usageError("usage: config REF replace {pgConfig: {…}, pgBouncerConfig: {…}}", at: action.span)
      }
      try BodyChecks.check(call) { () throws(ValidationFailure) in try BodyChecks.validator.validateConfig(body) }
      return try await session.send(APIRequest("POST", path, body: body), call, context).result
    default:
      throw call.usageError("expected `set` or `replace` after the service, not `\(action.text)`", at: action.span)
    }
  }
}
