import Builtins
import CloudAPI
import FileIO
import Interpreter
import JQ

/// What one `mpg` command line asks for (a script, `-c` code or the prompt, and how to reach the API),
/// as plain values, whether argument-parser or `QuickCommandLine` read it.
struct Invocation: Equatable {
  var code: String?
  var check = false
  /// `--arg` pairs as `NAME=VALUE`.
  var stringArguments: [String] = []
  /// `--argjson` pairs as `NAME=JSON`.
  var jsonArguments: [String] = []
  var compact = false
  var rawOutput = false
  var color: Bool?
  var local = false
  var endpoint: String?
  var keyID: String?
  var keySecret: String?
  var organization: String?
  var profile: String?
  var trace = false
  /// `--trace=full`, `-v`.
  var traceFull = false
  /// `--echo`.
  var echo = false
  /// `--step`.
  var step = false
  /// `--output FORMAT`: how results print.
  var output: OutputFormat?
  var dryRun = false
  var showSecrets = false
  /// `--rate-limit` as given; `nil` means the cloud's 10/10, or off under `--local`.
  var rateLimit: String?
  var readOnly = false
  var file: String?
  var arguments: [String] = []

  /// Whether this command line starts the interactive prompt.
  var isInteractive: Bool { code == nil && file == nil && Terminal.inputIsTerminal && !check }

  /// The runner for this command line's print options, with every command (and the prompt's own
  /// commands when interactive, whose hooks are filled in once the prompt exists).
  func makeRunner(session: APISession, prompt: PromptHooks? = nil) -> ScriptRunner {
    let options = PrintOptions(
      indent: compact ? 0 : 2,
      color: color ?? Terminal.wantsColor(terminal: Terminal.outputIsTerminal),
      rawStrings: rawOutput
    )
    let display = prompt?.display ?? DisplayOutput()
    if let output { display.mode = output }
    let runner = ScriptRunner(
      printOptions: options, diagnosticsInColor: Terminal.wantsColor(terminal: Terminal.errorIsTerminal),
      commands: .withAPI(
        session: session,
        host: HostCommands(
          prompt: PromptCommand(interactive: Terminal.inputIsTerminal && Terminal.errorIsTerminal, secrets: session.secrets),
          interactive: (prompt ?? PromptHooks()).commands, isInteractive: prompt != nil)),
      maskSecrets: !showSecrets, secrets: session.secrets,
      liveStatus: Terminal.errorIsTerminal, display: display,
      // Scripts run on the API client's loop; the prompt does not (it blocks its thread reading lines).
      taskExecutor: prompt == nil ? CloudClient.taskExecutor : nil,
      // `parallel for` interleaves its iterations on the client's one loop thread (see Evaluator.Settings).
      serialExecutor: CloudClient.taskExecutor)
    // --echo and --step watch every statement; the prompt's stepper is there for `step on`.
    if echo || step || prompt != nil {
      let stepper = prompt?.stepper ?? StatementStepper()
      stepper.echo = echo
      stepper.step = step
      stepper.secrets = showSecrets ? nil : session.secrets
      stepper.output = display
      runner.evaluator.statementObserver = stepper
    }
    return runner
  }

  /// The API session: `--local`'s emulator, or the key and endpoint from flags, environment, `.env`
  /// or a profile, found when the first API command runs.
  func makeSession(local: LocalTarget?, dryRunTwin: DryRunTwin? = nil) -> APISession {
    var options = APISession.Options()
    options.trace = trace
    options.traceFull = traceFull
    options.traceInColor = Terminal.wantsColor(terminal: Terminal.errorIsTerminal)
    options.dryRun = dryRun
    options.showSecrets = showSecrets
    options.pacing = Invocation.pacing(effectiveRateLimit) ?? nil
    options.readOnly =
      readOnly ? "--read-only" : ReadOnlyVariable.isOn(ReadOnlyVariable.current) == true ? "\(ReadOnlyVariable.name)" : nil
    let connection = ConnectionOptions(
      endpoint: endpoint, keyID: keyID, keySecret: keySecret, organizationID: organization, profile: profile)
    let organization = self.organization
    let connector: APISession.Connector
    if let dryRunTwin {
      options.dryRunDisplay = dryRunDisplay(connection)
      connector = { try await dryRunTwin.target.connect() }
    } else if let local {
      connector = {
        var settings = try await local.connect()
        if let organization { settings.organizationID = organization }
        return settings
      }
    } else {
      connector = {
        let environment = ProcessEnvironment.current
        return try ConnectionResolver(
          options: connection, environment: environment, dotEnv: DotEnvFile.read(".env"),
          profiles: .standard(environment: environment)
        ).resolve()
      }
    }
    let confirm: (@Sendable (String) -> Bool)? = Terminal.inputIsTerminal && Terminal.errorIsTerminal ? Terminal.askYesNo : nil
    return APISession(
      options: options, vault: dryRunTwin?.vault ?? .standard(), userAgent: "mpg/\(MPGVersion.current)", confirm: confirm,
      connector: connector)
  }

  /// The pacing that applies: as given, else none for the local twin (it is a teaching tool: waiting on
  /// the cloud's budget there only slows demos) and the cloud's own 10 requests per 10 s elsewhere.
  var effectiveRateLimit: String { rateLimit ?? (local ? "off" : "10/10") }

  /// The twin's own limit: only what `--rate-limit` asks for (`--local --rate-limit 10/10` teaches the cloud's).
  var localRateLimit: (requests: Int, seconds: Double)? {
    guard let rateLimit, case .some(let pacing) = Invocation.pacing(rateLimit) else { return nil }
    return pacing
  }

  /// Where a dry run's curl commands point: the API and organization a real run would use, as far as
  /// flags, the environment, `.env` or a profile tell (no key needed); the twin's own URL under `--local`.
  private func dryRunDisplay(_ connection: ConnectionOptions) -> DryRunDisplay {
    guard !local else { return DryRunDisplay(endpoint: nil, organizationID: organization) }
    let environment = ProcessEnvironment.current
    if let settings = try? ConnectionResolver(
      options: connection, environment: environment, dotEnv: DotEnvFile.read(".env"),
      profiles: .standard(environment: environment)
    ).resolve() {
      return DryRunDisplay(endpoint: settings.endpoint, organizationID: settings.organizationID)
    }
    func named(_ variable: String) -> String? { environment[variable].flatMap { $0.isEmpty ? nil : $0 } }
    let url = endpoint ?? named(ConnectionResolver.endpointVariable) ?? liveEndpoint
    return DryRunDisplay(
      endpoint: EndpointURL(url), organizationID: organization ?? named(ConnectionResolver.organizationVariable))
  }

  /// `--rate-limit`'s pacing: `.some(nil)` for `off`, `nil` when the text is neither `off` nor N/SECONDS.
  static func pacing(_ text: String) -> (requests: Int, seconds: Double)?? {
    if text == "off" { return .some(nil) }
    guard let (requests, seconds) = EmulatorCommand.Serve.parseRate(text) else { return nil }
    return .some((requests, seconds))
  }

  /// Runs what the command line asks for with `runner` and returns the exit code.
  func execute(with runner: ScriptRunner) async -> Int32 {
    do {
      try runner.bind(strings: stringArguments, json: jsonArguments, scriptArguments: arguments)
    } catch {
      return runner.report(error)
    }
    if let code {
      if let file { return runner.usage("-c takes the code to run; `\(file)` would be a second script") }
      return await runner.run(SourceFile(name: "<command line>", text: code), checkOnly: check)
    }
    if let file, file != "-" {
      let text: String
      do {
        text = try FileText.read(file)
      } catch {
        return runner.usage(error.message)
      }
      return await runner.run(SourceFile(name: file, text: text, directory: ScriptPaths.directory(of: file)), checkOnly: check)
    }
    do {
      let text = try FileText.read("-")
      return await runner.run(SourceFile(name: "<stdin>", text: text), checkOnly: check)
    } catch {
      return runner.usage(error.message)
    }
  }
}
