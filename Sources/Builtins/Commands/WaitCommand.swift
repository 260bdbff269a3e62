import CloudAPI
import Interpreter
import JQ
import Outcomes

#if canImport(Glibc)
  import Glibc
#endif

/// `wait REF… [until (FILTER) | gone]`: polls a service until it is running, until a filter holds,
/// or until it is gone; prints each state change with the elapsed time. Several services (or an
/// array of them) are polled together, one `list` request per round (see `FleetWait`).
public struct WaitCommand: APICommand {
  public let name = "wait"
  public let summary = "Wait until services are running, until (FILTER) holds on them, or until they are gone."
  public let usage = "wait REF… [until (FILTER) | gone] [--any] [--fail-if (FILTER)] [--timeout 30m] [--every 5s]"
  public let examples = [
    "wait $pg", #"wait $pg until (.state == "running" and .isPrimary)"#, "wait $pg gone --timeout 5m",
    "wait $replicas[]", "wait db-1 db-2 --any",
  ]
  public let options = [
    CommandOption.filter("fail-if", summary: #"Stop with an error as soon as FILTER holds (default: .state == "unavailable")."#),
    CommandOption("timeout", takesValue: true, summary: "Give up after this long (default 30m)."),
    CommandOption(
      "every", takesValue: true,
      summary: "Time between checks once the first quick ones are done (default 5s; grows gently while nothing changes)."),
    CommandOption("any", summary: "With several services: stop as soon as one of them is there, and return those that are."),
    CommandOption("quiet", summary: "Do not print state changes."),
  ]
  public let details: String? = """
    Several services (`wait $a $b`, an array `wait $fleet`, or a stream `wait $fleet[]`) are polled \
    together with one `list` request per round, however many there are, and the result is the array \
    of their list entries, which carry no hostname (`get` one for that); an empty array is done at once. \
    The goal must hold for each; \
    with `--any`, the wait ends when it holds for one and returns those it holds for. `--fail-if` \
    (by default: a service became `unavailable`) stops at the first service it holds for and names \
    it; the timeout names those not there yet. On a terminal the progress is a table of name, state \
    and time in that state; otherwise each change is a line `[4.2s] db-3: restarting → running`.
    """
  public var filterAfterWords: Set<String> { ["until"] }
  public var takesStreamedPositionals: Bool { true }
  public let session: APISession
  public var firstArgumentIsService: Bool { true }

  enum Goal {
    case running
    case gone
    case condition(CallFilter)

    /// Whether `service` is where the wait wants it (`gone` is decided by its absence instead).
    func holds(for service: JSONValue) throws -> Bool {
      switch self {
      case .running: service["state"]?.stringValue == "running"
      case .gone: false
      case .condition(let filter): try filter.outputs(service).contains(where: \.isTruthy)
      }
    }
  }

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    let goalStart = call.positionals.firstIndex { $0.word == "until" || $0.word == "gone" } ?? call.positionals.count
    let references = Array(call.positionals[..<goalStart])
    guard let reference = references.first else { throw call.usageError("usage: \(usage)") }
    let goal = try self.goal(call.positionals[goalStart...], call)
    let timeout = try duration(call, "timeout", default: 1800)
    let every = try duration(call, "every", default: 5)
    let failIf = try failFilter(call)
    let quiet = call.options["quiet"] != nil
    if references.count > 1 || reference.isStream || reference.value.kind == .array {
      let fleet = FleetWait(
        session: session, references: references, goal: goal, failIf: failIf, any: call.options["any"] != nil, timeout: timeout,
        every: every, quiet: quiet)
      return try await fleet.run(call, context)
    }
    let (id, path) = try await session.servicePath(of: reference, for: call, in: context)
    if session.isDryRun {
      if case .gone = goal { return nil }
      return try await session.send(APIRequest("GET", path), for: call, in: context).result
    }
    let started = RequestPacer.now()
    var lastState: String?
    var interval = PollInterval(every: every, paced: session.options.pacing != nil)
    var live = false
    defer {
      if live { context.output.writeError("\n") }
    }
    while true {
      let elapsed = RequestPacer.now() - started
      let service: JSONValue?
      do {
        service = try await session.send(APIRequest("GET", path), for: call, in: context).result
      } catch let error as RuntimeError where Self.isGone(error) {
        service = nil
      }
      guard let service else {
        if case .gone = goal {
          report("gone", elapsed: elapsed, previous: lastState, quiet: quiet, live: &live, context)
          return nil
        }
        throw RuntimeError(
          kind: .notFound, message: "service \(id) is gone (deleted) after \(Self.clock(elapsed))", at: call.span)
      }
      let state = service["state"]?.stringValue ?? "unknown"
      interval.next(changed: state != lastState)
      if state != lastState {
        report(state, elapsed: elapsed, previous: lastState, quiet: quiet, live: &live, context)
        lastState = state
      }
      if try goal.holds(for: service) {
        return service
      }
      if let failIf, try failIf.outputs(service).contains(where: \.isTruthy) {
        throw RuntimeError(
          kind: .wait, message: "service \(id) is \(state): stopped waiting because \(failIf.text) holds", at: call.span,
          value: service)
      } else if failIf == nil, state == "unavailable" {
        throw RuntimeError(
          kind: .wait, message: "service \(id) is unavailable; stopped waiting (see --fail-if)", at: call.span, value: service)
      }
      let remaining = timeout - (RequestPacer.now() - started)
      guard remaining > 0 else {
        throw RuntimeError(
          kind: .timeout, message: "gave up waiting for service \(id) after \(Self.clock(timeout)); it is \(state)",
          at: call.span, value: service)
      }
      let pause = min(interval.current, remaining)
      if live, let lastState {
        try await tick(for: pause, started: started, state: lastState, context)
      } else {
        try await context.cancellingOnInterrupt { try await Task.sleep(nanoseconds: UInt64(pause * 1e9)) }
      }
    }
  }

  private func goal(_ rest: ArraySlice<CallValue>, _ call: CommandCall) throws -> Goal {
    guard let word = rest.first else { return .running }
    switch word.word {
    case "gone":
      guard rest.count == 1 else { throw call.usageError("usage: \(usage)", at: rest.dropFirst().first?.span) }
      return .gone
    case "until":
      guard rest.count == 2, let filter = rest.last?.filter else {
        throw call.usageError(
          "write the condition in parentheses: wait REF until (.state == \"running\")", at: rest.last?.span ?? word.span)
      }
      return .condition(filter)
    default:
      throw call.usageError("expected `until (FILTER)` or `gone` after the service, not `\(word.text)`", at: word.span)
    }
  }

  private func failFilter(_ call: CommandCall) throws -> CallFilter? {
    guard let option = call.options["fail-if"] else { return nil }
    guard let filter = option.filter else {
      throw call.usageError("write the condition in parentheses: --fail-if (.state == \"unavailable\")", at: option.span)
    }
    return filter
  }

  private func duration(_ call: CommandCall, _ name: String, default value: Double) throws -> Double {
    guard let option = call.options[name] else { return value }
    guard let seconds = DurationText.seconds(option.value), seconds > 0 else {
      throw call.usageError("--\(name) takes a duration such as 30s, 5m or 1h", at: option.span)
    }
    return seconds
  }

  /// A deleted service answers 404 (or, for an id the API no longer knows, 400 "Invalid … id").
  static func isGone(_ error: RuntimeError) -> Bool {
    guard error.kind == .api, let status = error.details.first(where: { $0.0 == "status" })?.1.numberValue else { return false }
    if status == 404 { return true }
    let text = error.details.first(where: { $0.0 == "error" })?.1.stringValue ?? ""
    return status == 400 && text.contains("Invalid Postgres service id")
  }

  /// Sleeps `seconds`, redrawing the live status line with the time that passes (a terminal only).
  private func tick(for seconds: Double, started: Double, state: String, _ context: CommandContext) async throws {
    let end = RequestPacer.now() + seconds
    while true {
      let left = end - RequestPacer.now()
      guard left > 0 else { return }
      let step = min(left, 0.25)
      try await context.cancellingOnInterrupt { try await Task.sleep(nanoseconds: UInt64(step * 1e9)) }
      context.output.writeError("\r\u{1B}[K[\(Self.clock(RequestPacer.now() - started))] \(state)")
    }
  }

  private func report(
    _ state: String, elapsed: Double, previous: String?, quiet: Bool, live: inout Bool, _ context: CommandContext
  ) {
    guard !quiet else { return }
    let change = previous.map { "\($0) → \(state)" } ?? state
    if context.showsLiveStatus {
      context.output.writeError("\r\u{1B}[K[\(Self.clock(elapsed))] \(change)")
      live = true
    } else {
      context.output.writeError("[\(Self.clock(elapsed))] \(change)\n")
    }
  }

  /// `4.2s`, `1m05s`.
  static func clock(_ seconds: Double) -> String {
    if seconds < 60 { return "\((seconds * 10).rounded() / 10)s" }
    let whole = Int(seconds.rounded())
    let rest = whole % 60
    return "\(whole / 60)m\(rest < 10 ? "0" : "")\(rest)s"
  }
}
