import CloudAPI
import Interpreter
import JQ

/// `restart REF`, `promote REF`, `switchover REF`: one state command each (`PATCH …/state`).
public struct StateCommand: APICommand {
  public let name: String
  public let summary: String
  public let usage: String
  public let examples: [String]
  public let options: [CommandOption]
  public let session: APISession
  public var firstArgumentIsService: Bool { true }
  /// What asking for consent says, for a command that cannot be undone (`promote`); `nil` for the
  /// ones that only interrupt connections and leave the service as it was (`restart`, `switchover`).
  let consent: Consent.Action?

  /// The command for the state `command` (`restart`, `promote` or `switchover`).
  public init(_ command: String, summary: String, session: APISession) {
    name = command
    self.summary = summary
    self.session = session
    consent =
      command == "promote"
      ? Consent.Action(
        question: "Promote read replica", consequence: "It stops following its primary for good; this cannot be undone")
      : nil
    usage = consent == nil ? "\(command) REF" : "\(command) REF [--yes]"
    examples =
      consent == nil
      ? ["\(command) $pg", "\(command) my-db; wait my-db"] : ["\(command) $replica --yes", "\(command) my-db-ro; wait my-db-ro"]
    options =
      consent == nil
      ? [] : [CommandOption("yes", summary: "Go ahead without asking; required when standard input is not a terminal.")]
  }

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    try call.expectPositionals(1...1, usage: usage)
    let id: String
    if let consent {
      id = try await Consent.serviceID(for: consent, call.positionals[0], call, session, context)
    } else {
      try await session.requireWritable(for: call, in: context)
      id = try await ServiceReference.id(of: call.positionals[0], through: session, for: call, in: context)
    }
    let path = try await session.postgresPath("/\(id)/state", for: call, in: context)
    let session = self.session
    let servicePath = String(path.dropLast("/state".count))
    // After an answer that never came, the service tells whether the command took effect: a service
    // that no longer runs is busy with it, and the command must not be sent again.
    let tookEffect: @Sendable () async throws -> APIResponse? = {
      guard let response = try await session.probe(APIRequest("GET", servicePath)),
        let state = response.result["state"]?.stringValue, state != "running"
      else { return nil }
      return response
    }
    let body = JSONValue(object: [("command", JSONValue(name))])
    return try await session.send(APIRequest("PATCH", path, body: body), for: call, in: context, beforeRepeatingPost: tookEffect)
      .result
  }
}
