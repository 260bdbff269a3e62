import CloudAPI
import Interpreter
import JQ
import Outcomes
import PostgresAPISpec

#if canImport(Glibc)
  import Glibc
#endif

/// Consent for operations that cannot be undone (`delete`, `promote`, `password`, `config replace`).
///
/// With `--yes` (or in a dry run, which sends nothing) the operation goes ahead. Otherwise, on a
/// terminal, mpg shows what is at stake and asks; where nobody can be asked (a script fed from a
/// pipe, CI), it refuses before sending anything, as `gh` does: a runbook states its consent.
enum Consent {
  /// How the question reads: `Delete Postgres service demo (…)`, then what is lost for good.
  struct Action {
    /// The question's verb phrase, put before the service: `Delete Postgres service`.
    let question: String
    /// What is lost, ending in `this cannot be undone`.
    let consequence: String
  }

  /// The id of the service `reference` names, once `action` may go ahead on it: nobody to ask and no
  /// `--yes` fails before anything is sent, so does read-only mode; then the service is shown and the
  /// question asked (on a terminal, without `--yes`).
  static func serviceID(
    for action: Action, _ reference: CallValue, _ call: CommandCall, _ session: APISession, _ context: CommandContext
  ) async throws -> String {
    try requireAskable(call, session)
    try await session.requireWritable(for: call, in: context)
    let id = try await ServiceReference.id(of: reference, through: session, for: call, in: context)
    try await ask(action, serviceID: id, call, session, context)
    return id
  }

  /// Fails (exit 2) when consent is needed but nobody can give it; call this before any request.
  static func requireAskable(_ call: CommandCall, _ session: APISession) throws {
    guard call.options["yes"] == nil, !session.isDryRun, session.confirm == nil else { return }
    throw call.usageError(
      "`\(call.name)` cannot be undone, and there is no terminal to ask on: add --yes to confirm (nothing was sent)")
  }

  /// Shows the service `id` (name, id, state, age, tags) and asks; throws `cancelled` (exit 3) unless
  /// the answer is yes. Does nothing with `--yes`, in a dry run, or where `requireAskable` passed
  /// without a terminal (it cannot: it throws there).
  static func ask(_ action: Action, serviceID id: String, _ call: CommandCall, _ session: APISession, _ context: CommandContext)
    async throws
  {
    guard call.options["yes"] == nil, !session.isDryRun, let confirm = session.confirm else { return }
    let path = try await session.postgresPath("/\(id)", for: call, in: context)
    let service = try await session.send(APIRequest("GET", path), for: call, in: context).result
    context.output.flush()
    let question = "\(action.question) \(describe(service, id: id))\n\(action.consequence). Go ahead? [y/N] "
    guard confirm(question) else {
      throw RuntimeError(
        kind: .cancelled, message: "\(call.name) cancelled; nothing was sent", at: call.span, exitCode: ExitStatus.cancelled)
    }
    session.noteConsent()
  }

  /// `demo (id 5f…, running, created 3 h ago, tags env=prod)`.
  static func describe(_ service: JSONValue, id: String, now: Int = time(nil)) -> String {
    var facts = ["id \(id)"]
    if let state = service["state"]?.stringValue { facts.append(state) }
    if let created = service["createdAt"]?.stringValue {
      facts.append("created " + (age(of: created, now: now).map { "\($0) ago" } ?? created))
    }
    let tags = (service["tags"]?.arrayElements ?? []).compactMap { tag -> String? in
      guard let key = tag["key"]?.stringValue else { return nil }
      return tag["value"]?.stringValue.map { "\(key)=\($0)" } ?? key
    }
    facts.append(tags.isEmpty ? "no tags" : "tags " + tags.joined(separator: " "))
    let name = service["name"]?.stringValue ?? id
    return "\(name) (\(facts.joined(separator: ", ")))"
  }

  /// `3 h`, `2 d`, `40 s`: how long before `now` (seconds since 1970) an RFC 3339 moment was, or `nil`
  /// when it does not read as one.
  static func age(of timestamp: String, now: Int) -> String? {
    guard let moment = QueryParameters.seconds(timestamp) else { return nil }
    let seconds = max(0, now - Int(moment))
    switch seconds {
    case ..<120: return "\(seconds) s"
    case ..<7200: return "\(seconds / 60) min"
    case ..<172_800: return "\(seconds / 3600) h"
    default: return "\(seconds / 86400) d"
    }
  }
}
