import CloudAPI
import Interpreter
import JQ
import Outcomes
import Synchronization

/// How a run reaches the Cloud API: connection settings found on first use (so scripts that never
/// call the API need no key), one pooled client, the organization, the credential vault and the
/// facts of the last request. The API commands share one session.
public final class APISession: Sendable {
  /// Switches from mpg's command line.
  public struct Options: Sendable {
    /// `--trace`: a line per request on standard error.
    public var trace = false
    /// `--trace=full` (`-v`): every request and answer in full, secrets masked.
    public var traceFull = false
    /// Whether the full trace is coloured (standard error is a terminal, NO_COLOR unset).
    public var traceInColor = false
    /// `--dry-run`: print each request as curl instead of sending it.
    public var dryRun = false
    /// Where a dry run's curl commands point, when a throwaway twin answers its requests (so later
    /// statements get real answers); `nil`: a dry run answers with placeholders.
    public var dryRunDisplay: DryRunDisplay?
    /// `--show-secrets`: print passwords and secrets instead of masking them.
    public var showSecrets = false
    /// Why only GET requests may be sent (`--read-only`, `MPG_READ_ONLY`), or `nil` when others may be.
    /// A profile marked `read_only` turns this on too, once the session has connected with its key.
    public var readOnly: String?
    /// The client-side rate limit (`nil`: none).
    public var pacing: (requests: Int, seconds: Double)? = (10, 10)
    /// Retries of transient failures.
    public var retry = RetryPolicy()

    /// The defaults.
    public init() {}
  }

  /// Finds the connection settings, e.g. from flags and the environment, or by starting the local
  /// emulator. Called once, by the first API command.
  public typealias Connector = @Sendable () async throws -> ConnectionSettings

  /// The command line's switches.
  public let options: Options
  /// Where service passwords are kept.
  public let vault: CredentialVault
  /// Asks the person at the terminal a yes/no question; `nil` when nobody can be asked (not a terminal).
  public let confirm: (@Sendable (String) -> Bool)?
  /// What `User-Agent` says.
  public let userAgent: String
  /// The secrets seen so far (the key's, passwords answered or kept), masked wherever output shows them.
  public let secrets = SecretRegistry()
  private let connector: Connector
  /// What the session learns as it runs. Behind a lock: at the prompt, the service list for completion
  /// is fetched in the background while a command runs.
  private struct State {
    var client: CloudClient?
    var settings: ConnectionSettings?
    var organizationID: String?
    /// The organization the quiet list found on its own (the only one the key sees), asked for once;
    /// kept apart from `organizationID`, which only the commands set.
    var quietOrganizationID: String?
    var lastRequest: APIRequest?
    /// How many questions of `Consent` were answered yes, so the prompt's recorder knows an entry
    /// needs `--yes` to run unattended.
    var consentsGiven = 0
    /// Each service's CA certificate, fetched once per session (it does not change).
    var caCertificates: [String: String] = [:]
    /// The last answer that showed each service, and when (`connect` right after `wait` needs no new look).
    var seenServices: [String: (service: JSONValue, at: Double)] = [:]
    /// The last curl command a twin-answered dry run printed to each output (each iteration of a
    /// `parallel for` has its own), kept while that output lives.
    var lastDryRunLines: [ObjectIdentifier: LastDryRunLine] = [:]
    /// The connection under way, which commands that need one at the same time (`parallel for`)
    /// share: two would start two twins, or ask the vault twice.
    var connecting: Task<ConnectionSettings, any Error>?
  }

  /// A dry run's last curl command on one output. The output is held weakly: one that ended and a new
  /// one at its address are told apart. Unchecked: the reference is only compared, never used.
  private struct LastDryRunLine: @unchecked Sendable {
    weak var output: (any OutputSink)?
    var text: String
  }

  private let state = Mutex(State())
  private var client: CloudClient? { state.withLock { $0.client } }
  private var settings: ConnectionSettings? { state.withLock { $0.settings } }
  /// The organization requests go to, once known.
  public var organizationID: String? { state.withLock { $0.organizationID } }
  /// The last request sent (or previewed), for `curl`.
  public var lastRequest: APIRequest? { state.withLock { $0.lastRequest } }
  /// How many times a person answered yes to a consent question in this session.
  public var consentsGiven: Int { state.withLock { $0.consentsGiven } }

  /// Counts a yes to a consent question.
  func noteConsent() {
    state.withLock { $0.consentsGiven += 1 }
  }

  /// A session that connects through `connector` when first needed.
  public init(
    options: Options, vault: CredentialVault, userAgent: String, confirm: (@Sendable (String) -> Bool)? = nil,
    connector: @escaping Connector
  ) {
    self.options = options
    self.vault = vault
    self.userAgent = userAgent
    self.confirm = confirm
    self.connector = connector
  }

  /// Why only GET requests may be sent, or `nil` when any may: the command line or the environment,
  /// or the profile whose key the session uses (known once connected).
  public var readOnlyReason: String? {
    if let reason = options.readOnly { return reason }
    guard let settings, settings.readOnly else { return nil }
    return "\(settings.credentialSource) is marked read_only"
  }

  /// Fails before a command that changes something sends any request, when the session is read-only.
  /// Connects first (no request: it finds the key) so that a read-only profile is known.
  func requireWritable(for call: CommandCall, in context: CommandContext) async throws {
    if options.readOnly == nil { _ = try await connectedClient(for: call, in: context) }
    if let reason = readOnlyReason { throw Self.readOnlyRefusal(call, reason: reason, sending: nil) }
  }

  /// Refuses a change when the command line or environment made the session read-only: before
  /// connecting, so a refused request does not even start a client. (A read-only profile is known once
  /// connected; `send` checks it then.)
  func refuseBeforeConnecting(_ request: APIRequest, _ call: CommandCall) throws {
    if request.changesSomething, let reason = options.readOnly {
      throw Self.readOnlyRefusal(call, reason: reason, sending: request)
    }
  }

  /// The error for a request read-only mode keeps back (exit 2, nothing sent).
  static func readOnlyRefusal(_ call: CommandCall, reason: String, sending request: APIRequest?) -> RuntimeError {
    let what = request.map { "would send \($0.method) \($0.target)" } ?? "would change something"
    return RuntimeError(
      kind: .readOnly, message: "read-only (\(reason)): `\(call.name)` \(what); nothing was sent", at: call.span,
      exitCode: ExitStatus.usageError)
  }

  /// Whether requests are only shown, not sent: `--dry-run`, or `--step` looking ahead at a statement.
  public var isDryRun: Bool { RequestRehearsal.current != nil || (options.dryRun && options.dryRunDisplay == nil) }

  /// The base URL, once connected (for `curl`).
  public var endpoint: EndpointURL? { settings?.endpoint }

  /// Closes the client's connections.
  public func shutdown() async {
    await client?.shutdown()
  }

  /// Uses `organizationID` from now on (`org ID`).
  public func useOrganization(_ organizationID: String) {
    state.withLock { $0.organizationID = organizationID }
  }

  /// The connected client, connecting first if needed.
  func connectedClient(for call: CommandCall, in context: CommandContext) async throws -> CloudClient {
    if let client { return client }
    let settings: ConnectionSettings
    do {
      let connecting = state.withLock { state in
        if let task = state.connecting { return task }
        let connector = self.connector
        let task = Task { try await connector() }
        state.connecting = task
        return task
      }
      do {
        settings = try await context.cancellingOnInterrupt { try await connecting.value }
      } catch {
        // A failed or interrupted connection is not kept: the next command tries again.
        connecting.cancel()
        state.withLock { state in
          if state.connecting == connecting { state.connecting = nil }
        }
        throw error
      }
    } catch let failure as SetupFailure {
      throw RuntimeError(kind: failure.kind, message: failure.message, at: call.span, exitCode: failure.exitCode)
    }
    return use(settings)
  }

  /// Connects now if the settings can be found, quietly: the prompt does it before its first line, so
  /// Tab can offer services at once. Failures wait for the first API command, which reports them.
  public func connectQuietly() async {
    guard client == nil, let settings = try? await connector() else { return }
    _ = use(settings)
  }

  /// The client for `settings`; the first connection wins when two race (a quiet connect and a command).
  private func use(_ settings: ConnectionSettings) -> CloudClient {
    state.withLock { state in
      if let client = state.client { return client }
      let client = CloudClient(
        endpoint: settings.endpoint, credentials: settings.credentials, userAgent: userAgent, pacing: options.pacing,
        retry: options.retry)
      secrets.register(settings.credentials.keySecret)
      state.client = client
      state.settings = settings
      if state.organizationID == nil { state.organizationID = settings.organizationID }
      return client
    }
  }

  /// `/v1/organizations/ORG`: the organization named on the command line, by `org`, or the only one
  /// the key can see.
  func organizationPath(for call: CommandCall, in context: CommandContext) async throws -> String {
    _ = try await connectedClient(for: call, in: context)
    if let organizationID { return "/v1/organizations/\(organizationID)" }
    if isDryRun { return "/v1/organizations/$ORG_ID" }
    let organizations = try await send(APIRequest("GET", "/v1/organizations"), for: call, in: context).result.arrayElements ?? []
    guard organizations.count == 1, let id = organizations[0]["id"]?.stringValue else {
      let names = organizations.map { "\($0["id"]?.stringValue ?? "?") (\($0["name"]?.stringValue ?? ""))" }
      let message =
        organizations.isEmpty
        ? "the API key sees no organization"
        : "the API key sees \(organizations.count) organizations: \(names.joined(separator: ", ")); choose one with --org, \(ConnectionResolver.organizationVariable), or `org ID`"
      throw RuntimeError(kind: .usage, message: message, at: call.span, exitCode: ExitStatus.usageError)
    }
    state.withLock { $0.organizationID = id }
    return "/v1/organizations/\(id)"
  }

  /// `/v1/organizations/ORG/postgres[/SUFFIX]`.
  func postgresPath(_ suffix: String = "", for call: CommandCall, in context: CommandContext) async throws -> String {
    try await organizationPath(for: call, in: context) + "/postgres" + suffix
  }

  /// The service `reference` names (an id, a name, or an object with `.id`) and its path,
  /// `/v1/organizations/ORG/postgres/ID` followed by `suffix`: the start of most API commands.
  func servicePath(of reference: CallValue, suffix: String = "", for call: CommandCall, in context: CommandContext) async throws
    -> (id: String, path: String)
  {
    let id = try await ServiceReference.id(of: reference, through: self, for: call, in: context)
    return (id, try await postgresPath("/\(id)" + suffix, for: call, in: context))
  }

  /// Sends a request for `call`, sets `$last`, and turns failures into located errors users can
  /// `catch` (kind `api` with status, error and request id; 401 exits 4).
  func send(
    _ request: APIRequest, for call: CommandCall, in context: CommandContext,
    placeholder: JSONValue? = nil,
    beforeRepeatingPost: (@Sendable () async throws -> APIResponse?)? = nil
  ) async throws -> APIResponse {
    try refuseBeforeConnecting(request, call)
    let client = try await connectedClient(for: call, in: context)
    if request.changesSomething, let reason = readOnlyReason {
      throw Self.readOnlyRefusal(call, reason: reason, sending: request)
    }
    if let rehearsal = RequestRehearsal.current {
      rehearsal.note(request)
      return DryRun.response(for: request, placeholder: placeholder)
    }
    state.withLock { $0.lastRequest = request }
    if options.dryRun, let display = options.dryRunDisplay {
      printForDryRun(request, display: display, twin: client, context)
      // A path into another organization (a raw `api` call) is one the twin cannot answer.
      if let twinOrganization = settings?.organizationID, request.path.hasPrefix("/v1/organizations/"),
        !request.path.hasPrefix("/v1/organizations/\(twinOrganization)")
      {
        return DryRun.response(for: request, placeholder: placeholder)
      }
    }
    if isDryRun {
      context.output.write(CurlCommand.text(for: request, endpoint: client.endpoint, showSecrets: options.showSecrets) + "\n")
      return DryRun.response(for: request, placeholder: placeholder)
    }
    context.output.flush()
    let events = requestEvents(context)
    do {
      let response = try await context.cancellingOnInterrupt {
        try await client.send(request, events: events, beforeRepeatingPost: beforeRepeatingPost)
      }
      context.setGlobal("last", to: response.facts)
      noteService(in: response.result)
      // Passwords and connection strings come only in answers to changes (a create, a reset).
      if request.changesSomething { secrets.register(secretsIn: response.result) }
      return response
    } catch let failure as APIFailure {
      context.setGlobal("last", to: failure.response.facts)
      let exitCode: Int32 = failure.status == 401 ? 4 : 1
      let hint = await FailureHints.hint(for: failure, request: request, call, self, credentialSource: settings?.credentialSource)
      throw RuntimeError(
        kind: .api, message: failure.description, at: call.span, details: failure.details, exitCode: exitCode, hint: hint)
    } catch let failure as TransportFailure {
      context.setGlobal(
        "last",
        to: JSONValue(object: [
          ("status", JSONValue(0)), ("requestId", .null), ("method", JSONValue(request.method)),
          ("path", JSONValue(request.target)),
        ]))
      throw RuntimeError(
        kind: .network, message: failure.description, at: call.span,
        details: [
          ("method", JSONValue(failure.method)), ("path", JSONValue(failure.path)),
        ])
    }
  }

  /// A dry run's curl command for `request`, pointed at the real API (the twin's organization id
  /// replaced), printed unless it repeats the one before on the same output (a `wait` polls the same
  /// path).
  private func printForDryRun(_ request: APIRequest, display: DryRunDisplay, twin: CloudClient, _ context: CommandContext) {
    var shown = request
    if let twinOrganization = settings?.organizationID {
      shown.path = shown.path.replacingAll(twinOrganization, with: display.organizationID ?? "$CLICKHOUSE_CLOUD_ORG_ID")
    }
    let text = CurlCommand.text(for: shown, endpoint: display.endpoint ?? twin.endpoint, showSecrets: options.showSecrets)
    let output = context.output
    let key = ObjectIdentifier(output)
    let repeated = state.withLock { state in
      let last = state.lastDryRunLines[key]
      state.lastDryRunLines = state.lastDryRunLines.filter { $0.value.output != nil }
      state.lastDryRunLines[key] = LastDryRunLine(output: output, text: text)
      return last?.output === output && last?.text == text
    }
    if !repeated { context.output.write(text + "\n") }
  }

  /// Keeps an answer that shows one service (a get, a wait's poll, a patch), for `recentService`.
  private func noteService(in result: JSONValue) {
    guard result.kind == .object, let id = result["id"]?.stringValue, result["state"] != nil else { return }
    let now = RequestPacer.now()
    state.withLock { $0.seenServices[id] = (result, now) }
  }

  /// The service as an answer showed it less than `maxAge` seconds ago, if one did (never in a dry run,
  /// which must print every request).
  func recentService(_ id: String, maxAge: Double) -> JSONValue? {
    guard !isDryRun, let seen = state.withLock({ $0.seenServices[id] }), RequestPacer.now() - seen.at < maxAge else { return nil }
    return seen.service
  }

  /// The service's CA certificate, fetched on first use and kept for the session.
  func caCertificate(_ id: String, path: String, for call: CommandCall, in context: CommandContext) async throws -> String? {
    if !isDryRun, let pem = state.withLock({ $0.caCertificates[id] }) { return pem }
    let pem = try await send(APIRequest("GET", path), for: call, in: context).result.stringValue
    if let pem, !isDryRun { state.withLock { $0.caCertificates[id] = pem } }
    return pem
  }

  /// A quiet request for the client's own checks (after an ambiguous create): `nil` when it fails.
  func probe(_ request: APIRequest) async throws -> APIResponse? {
    guard let client else { return nil }
    do {
      return try await client.send(request)
    } catch is APIFailure {
      return nil
    } catch is TransportFailure {
      return nil
    }
  }

  /// The organization's services as `(id, name)`, fetched quietly for completion; `nil` until the
  /// session has connected (the prompt connects at start when it has a key; a fetch never starts an emulator).
  public func quietServiceList() async -> [(id: String, name: String)]? {
    guard let client, !isDryRun else { return nil }
    // Without a chosen organization, the only one the key sees (as the commands would pick).
    var organizationID = state.withLock { $0.organizationID ?? $0.quietOrganizationID }
    if organizationID == nil,
      let organizations = try? await client.send(APIRequest("GET", "/v1/organizations")).result.arrayElements,
      organizations.count == 1
    {
      organizationID = organizations[0]["id"]?.stringValue
      state.withLock { $0.quietOrganizationID = organizationID }
    }
    guard let organizationID else { return nil }
    guard let response = try? await client.send(APIRequest("GET", "/v1/organizations/\(organizationID)/postgres")) else {
      return nil
    }
    return (response.result.arrayElements ?? []).compactMap { service in
      guard let id = service["id"]?.stringValue else { return nil }
      return (id, service["name"]?.stringValue ?? "")
    }
  }

  /// Trace lines, waiting notes and the full trace, written to the command's output (standard error
  /// there): masked like everything else, labelled inside a `parallel for`, and seen by tests.
  private func requestEvents(_ context: CommandContext) -> RequestEvents {
    let trace = options.trace && !options.traceFull
    let traceFull = options.traceFull
    let live = context.showsLiveStatus
    let full = options.traceFull ? FullTrace(color: options.traceInColor, secrets: options.showSecrets ? nil : secrets) : nil
    // Unchecked: every event is raised by the task that sends the request (the client's send, its
    // pacer's wait and the exchange all run in that task), while the command that owns the sink
    // awaits it; nothing else writes to that sink meanwhile.
    nonisolated(unsafe) let output = context.output
    var exchanged: (@Sendable (HTTPExchange) -> Void)?
    if let full {
      exchanged = { exchange in output.writeError(full.text(of: exchange)) }
    }
    return RequestEvents(
      attemptFinished: { method, path, status, milliseconds, requestID in
        guard trace else { return }
        let outcome = status == 0 ? "no answer" : "\(status)"
        let id = requestID.map { " request \($0)" } ?? ""
        output.writeError("→ \(method) \(path) \(outcome) \(Self.format(milliseconds)) ms\(id)\n")
      },
      waiting: { seconds, reason in
        guard trace || traceFull || (live && seconds >= 1) else { return }
        output.writeError("mpg: waiting \(Self.format(seconds * 1000 / 1000)) s (\(reason))\n")
      },
      exchanged: exchanged
    )
  }

  static func format(_ number: Double) -> String {
    let tenths = (number * 10).rounded() / 10
    return tenths == tenths.rounded() ? String(Int(tenths)) : String(tenths)
  }
}
