import CloudAPI
import Interpreter
import JQ
import Outcomes

/// `wait REF REF…` (or an array of services): polls every service with one `list` request per round,
/// however many there are, until the goal holds for each (or, with `--any`, for one).
struct FleetWait {
  let session: APISession
  let references: [CallValue]
  let goal: WaitCommand.Goal
  let failIf: CallFilter?
  let any: Bool
  let timeout: Double
  let every: Double
  let quiet: Bool

  /// One service being waited for.
  struct Member {
    let id: String
    var name: String
    /// The last list entry that showed it (`nil` once it is gone).
    var service: JSONValue?
    var state: String?
    /// When its state last changed, on the wait's clock.
    var since: Double = 0
    var done = false
  }

  /// The final list entries, in the order given (`--any`: those the goal holds for); `nil` for `gone`.
  func run(_ call: CommandCall, _ context: CommandContext) async throws -> JSONValue? {
    // Waiting for no service at all is done at once (`wait $fleet` when the filter matched nothing).
    if references.allSatisfy({ $0.value.kind == .array && $0.value.count == 0 }) {
      if case .gone = goal { return nil }
      return JSONValue(array: [])
    }
    let path = try await session.postgresPath("", for: call, in: context)
    let request = APIRequest("GET", path)
    if session.isDryRun {
      _ = try await session.send(request, for: call, in: context)
      return JSONValue(array: [])
    }
    let started = RequestPacer.now()
    var members: [Member]?
    var interval = PollInterval(every: every, paced: session.options.pacing != nil)
    let table = context.showsLiveStatus && !quiet ? FleetWaitTable() : nil
    defer { table?.finish(context) }
    while true {
      let services = try await session.send(request, for: call, in: context).result.arrayElements ?? []
      let elapsed = RequestPacer.now() - started
      if members == nil { members = try resolve(services, call) }
      var changed = false
      for index in members!.indices {
        try update(&members![index], from: services, elapsed: elapsed, changed: &changed, call, context)
      }
      table?.draw(members!, elapsed: elapsed, goal: goal, context)
      let done = members!.filter(\.done)
      if any ? !done.isEmpty : done.count == members!.count {
        if case .gone = goal { return nil }
        return JSONValue(array: done.compactMap(\.service))
      }
      interval.next(changed: changed)
      let remaining = timeout - (RequestPacer.now() - started)
      guard remaining > 0 else { throw timedOut(members!, call) }
      try await pause(min(interval.current, remaining), table: table, members: members!, started: started, context)
    }
  }

  /// The services the references name, found in the first round's list (names need no request of their own).
  private func resolve(_ services: [JSONValue], _ call: CommandCall) throws -> [Member] {
    var members: [Member] = []
    for reference in references {
      let values = reference.value.kind == .array ? (reference.value.arrayElements ?? []) : [reference.value]
      for value in values {
        let id: String
        switch try ServiceReference.written(value, word: values.count == 1 ? reference.word : nil, at: reference.span) {
        case .id(let written): id = written
        case .name(let name): id = try ServiceReference.id(named: name, among: services, at: reference.span)
        }
        guard !members.contains(where: { $0.id == id }) else { continue }
        let listed = services.first { $0["id"]?.stringValue == id }
        members.append(Member(id: id, name: listed?["name"]?.stringValue ?? value["name"]?.stringValue ?? id))
      }
    }
    return members
  }

  private func update(
    _ member: inout Member, from services: [JSONValue], elapsed: Double, changed: inout Bool, _ call: CommandCall,
    _ context: CommandContext
  ) throws {
    guard !member.done || !any else { return }
    let service = services.first { $0["id"]?.stringValue == member.id }
    let state = service.map { $0["state"]?.stringValue ?? "unknown" } ?? "gone"
    if state != member.state {
      if !quiet, !context.showsLiveStatus {
        let change = member.state.map { "\($0) → \(state)" } ?? state
        context.output.writeError("[\(WaitCommand.clock(elapsed))] \(member.name): \(change)\n")
      }
      member.state = state
      member.since = elapsed
      changed = true
    }
    guard let service else {
      if case .gone = goal {
        member.done = true
        return
      }
      throw RuntimeError(
        kind: .notFound, message: "service \(member.name) (\(member.id)) is gone (deleted) after \(WaitCommand.clock(elapsed))",
        at: call.span)
    }
    member.service = service
    member.name = service["name"]?.stringValue ?? member.name
    if try goal.holds(for: service) {
      member.done = true
      return
    }
    member.done = false
    if let failIf, try failIf.outputs(service).contains(where: \.isTruthy) {
      throw RuntimeError(
        kind: .wait, message: "service \(member.name) (\(member.id)) is \(state): stopped waiting because \(failIf.text) holds",
        at: call.span,
        value: service)
    } else if failIf == nil, state == "unavailable" {
      throw RuntimeError(
        kind: .wait, message: "service \(member.name) (\(member.id)) is unavailable; stopped waiting (see --fail-if)",
        at: call.span, value: service)
    }
  }

  private func timedOut(_ members: [Member], _ call: CommandCall) -> RuntimeError {
    let pending = members.filter { !$0.done }.map { "\($0.name) is \($0.state ?? "unknown")" }
    return RuntimeError(
      kind: .timeout,
      message:
        "gave up waiting after \(WaitCommand.clock(timeout)): \(pending.count) of \(members.count) not there yet (\(pending.joined(separator: ", ")))",
      at: call.span, value: JSONValue(array: members.compactMap(\.service)))
  }

  /// Sleeps until the next round; on a terminal the table's clocks move meanwhile.
  private func pause(_ seconds: Double, table: FleetWaitTable?, members: [Member], started: Double, _ context: CommandContext)
    async throws
  {
    let end = RequestPacer.now() + seconds
    while true {
      let left = end - RequestPacer.now()
      guard left > 0 else { return }
      let step = table == nil ? left : min(left, 0.25)
      try await context.cancellingOnInterrupt { try await Task.sleep(nanoseconds: UInt64(step * 1e9)) }
      table?.draw(members, elapsed: RequestPacer.now() - started, goal: goal, context)
    }
  }
}
