// The thin executable: mpg's own command line, terminal detection and exit codes. Everything else
// lives in the libraries (Interpreter, Builtins, JQ), which tests drive without a terminal.
import FileIO
import ArgumentParser
import Builtins
import CloudAPI
import Interpreter
import JQ
import Outcomes

#if canImport(Glibc)
  import Glibc
#endif

/// mpg's own command line, as argument-parser reads it (`Main` decides when it is needed).
struct MPG: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "mpg",
    abstract: "Drive ClickHouse Cloud's Managed Postgres API by hand, in runbooks and in teaching.",
    discussion: """
      With a FILE, runs it as a script (`-` or piped input reads standard input). With -c, runs CODE. \
      With neither on a terminal, starts an interactive session.

      `mpg emulator serve|status|reset|gc|postgres` runs the local emulator of the API (see `mpg emulator --help`); \
      `mpg profile list|show|set|remove|use` manages saved API keys; \
      `mpg completion bash|zsh|fish` prints a shell's completion script.

      Exit codes: 0 success, 1 runtime error (a failed assert too), 2 syntax or usage error, \
      3 cancelled, 4 authentication missing or refused, 130 interrupted.
      """,
    version: "mpg \(MPGVersion.current)"
  )

  @Option(name: .customShort("c"), help: ArgumentHelp("Run CODE instead of a file.", valueName: "code"))
  var code: String?

  @Flag(help: "Check syntax (mpg's and jq's) without running anything.")
  var check = false

  @Option(name: .customLong("arg"), help: ArgumentHelp("Bind $NAME to the string VALUE (repeatable).", valueName: "name value"))
  var stringArguments: [String] = []

  @Option(name: .customLong("argjson"), help: ArgumentHelp("Bind $NAME to the JSON VALUE (repeatable).", valueName: "name json"))
  var jsonArguments: [String] = []

  @Flag(help: "Print results on one line each instead of indented.")
  var compact = false

  @Flag(name: [.customShort("r"), .customLong("raw-output")], help: "Print strings without quotes.")
  var rawOutput = false

  @Flag(inversion: .prefixedNo, help: "Colour the output (default: when the output is a terminal and NO_COLOR is unset).")
  var color: Bool?

  @Flag(help: "Work against the local emulator (started in this process unless `mpg emulator serve` is running).")
  var local = false

  @Option(
    help: ArgumentHelp("The API's base URL (default https://api.clickhouse.cloud).", valueName: "url"),
    completion: .list(["https://api.clickhouse.cloud"]))
  var endpoint: String?

  @Option(
    name: .customLong("key-id"),
    help: ArgumentHelp("API key id (else CLICKHOUSE_CLOUD_API_KEY, .env, or a profile).", valueName: "id"))
  var keyID: String?

  @Option(
    name: .customLong("key-secret"),
    help: ArgumentHelp("API key secret (else CLICKHOUSE_CLOUD_API_SECRET, .env, or a profile).", valueName: "secret"))
  var keySecret: String?

  @Option(
    name: .customLong("org"),
    help: ArgumentHelp("Organization id (else CLICKHOUSE_CLOUD_ORG_ID, the profile, or the key's only one).", valueName: "id"))
  var organization: String?

  @Option(
    help: ArgumentHelp("A saved profile (`mpg profile`).", valueName: "name"),
    completion: .shellCommand(CompletionValues.command(CompletionValues.profiles)))
  var profile: String?

  @Flag(help: "Print each API request and its answer (method, path, status, ms, request id) on standard error.")
  var trace = false

  @Flag(
    name: [.customShort("v"), .customLong("verbose")],
    help:
      "Trace each request and answer in full (also --trace=full): headers with Authorization masked, pretty bodies with secrets masked."
  )
  var verbose = false

  @Flag(help: "Print each statement with its file:line on standard error before it runs (as bash -x does).")
  var echo = false

  @Flag(
    help: "Before each statement, show it and wait: Enter runs it, s skips it, c continues without stopping, q quits (exit 3).")
  var step = false

  @Option(
    name: [.customShort("o"), .customLong("output")],
    help: ArgumentHelp(
      "How results print: \(OutputFormat.listed) (default: json; table at the prompt for lists).", valueName: "format"),
    completion: .list(OutputFormat.allCases.map(\.rawValue)))
  var output: String?

  @Flag(name: .customLong("dry-run"), help: "Print each API request as curl instead of sending it; results are placeholders.")
  var dryRun = false

  @Flag(name: .customLong("show-secrets"), help: "Print passwords and secrets instead of masking them.")
  var showSecrets = false

  @Option(
    name: .customLong("rate-limit"),
    help: ArgumentHelp(
      "Request pacing: N/SECONDS or off (default 10/10, the cloud's limit; off with --local, where N/SECONDS also limits the twin).",
      valueName: "rate"),
    completion: .list(["10/10", "off"]))
  var rateLimit: String?

  @Flag(
    name: .customLong("read-only"),
    help:
      "Send only GET requests: anything that would change a service fails before it is sent (also MPG_READ_ONLY=1, or read_only in a profile)."
  )
  var readOnly = false

  @Argument(
    help: ArgumentHelp("A script to run, then its arguments ($args).", valueName: "file"), completion: .file(extensions: ["mpg"]))
  var file: String?

  @Argument(
    parsing: .captureForPassthrough, help: ArgumentHelp("Arguments for the script, as the array $args.", valueName: "arg"),
    completion: .shellCommand(CompletionValues.command(CompletionValues.services)))
  var arguments: [String] = []

  /// argument-parser has no two-value options, so jq's `--arg NAME VALUE` pairs are joined into one
  /// `NAME=VALUE` token before parsing. Only mpg's own options (before the script) are rewritten.
  static func joiningPairs(_ argv: [String]) -> [String] {
    var result: [String] = []
    var index = 0
    while index < argv.count {
      let word = argv[index]
      if word == "--trace=full" {
        result.append("--verbose")
        index += 1
        continue
      }
      if (word == "--arg" || word == "--argjson"), index + 2 < argv.count {
        result += [word, argv[index + 1] + "=" + argv[index + 2]]
        index += 3
        continue
      }
      result.append(word)
      if word == "-c" || word == "--" || (!word.hasPrefix("-") || word == "-") {
        result += argv[(index + 1)...]
        break
      }
      index += 1
    }
    return result
  }

  /// The values the script left (its variables, the last statement's result), kept from a global
  /// until exit so that they are never freed (freeing a large value costs seconds) and leak checkers
  /// see them as still reachable. Everything else of the run is released normally before exit.
  nonisolated(unsafe) private static var valuesAtExit: [JSONValue] = []
  /// The API session, kept until exit for the same reason: the process is ending, so its pooled
  /// connections are simply closed by the kernel instead of an orderly (and slower) client shutdown.
  nonisolated(unsafe) private static var sessionAtExit: APISession?

  /// Parses `words` with argument-parser and runs what they ask for: a script, the prompt, or one of
  /// the `emulator` and `profile` subcommands.
  static func run(parsing words: [String]) async -> Never {
    if let word = words.first, let subcommand = WordCommand(rawValue: word) {
      await subcommand.run(Array(words.dropFirst()))
    }
    if let problem = CommandLineCheck.unknownOption(in: words) {
      TextStream.standardError.write("mpg: error: \(problem)\n")
      TextStream.standardError.flush()
      Glibc.exit(ExitStatus.usageError)
    }
    let argv = joiningPairs(words)
    let root: any ParsableCommand.Type =
      switch argv.first {
      case "emulator": EmulatorCommand.self
      case "profile": ProfileCommand.self
      default: MPG.self
      }
    do {
      // `mpg emulator …` is dispatched here: with a positional script argument at the root,
      // argument-parser would read `emulator` as a file name.
      var command = try root.parseAsRoot(root == MPG.self ? argv : Array(argv.dropFirst()))
      if let mpg = command as? MPG {
        await run(mpg.invocation)
      }
      if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
      TextStream.standardOutput.flush()
      Glibc.exit(0)
    } catch {
      if let exit = error as? ExitCode { Glibc.exit(exit.rawValue) }
      let code = root.exitCode(for: error)
      if code.rawValue == 0 {
        print(root.fullMessage(for: error))
        Glibc.exit(0)
      }
      TextStream.standardError.write(root.fullMessage(for: error) + "\n")
      TextStream.standardError.flush()
      Glibc.exit(code == .validationFailure ? ExitStatus.usageError : code.rawValue)
    }
  }

  /// Runs a script, a `-c` one-liner or the prompt, and exits with its status.
  static func run(_ invocation: Invocation) async -> Never {
    if let problem = ReadOnlyVariable.problem(ReadOnlyVariable.current) {
      TextStream.standardError.write("mpg: error: \(problem)\n")
      TextStream.standardError.flush()
      Glibc.exit(ExitStatus.usageError)
    }
    if invocation.step, !Terminal.inputIsTerminal {
      TextStream.standardError.write("mpg: error: --step asks before each statement and needs a terminal on standard input\n")
      TextStream.standardError.flush()
      Glibc.exit(ExitStatus.usageError)
    }
    do {
      try MemoryCeiling.install()
    } catch {
      TextStream.standardError.write("mpg: error: \(error.message)\n")
      TextStream.standardError.flush()
      Glibc.exit(ExitStatus.usageError)
    }
    // A dry run is answered by a throwaway twin, so it needs no key and later statements get answers.
    let dryRunTwin: DryRunTwin?
    do {
      dryRunTwin = invocation.dryRun && !invocation.check ? try DryRunTwin.make() : nil
    } catch let failure as SetupFailure {
      TextStream.standardError.write("mpg: error: \(failure.message)\n")
      TextStream.standardError.flush()
      Glibc.exit(ExitStatus.runtimeError)
    } catch {
      Glibc.exit(ExitStatus.runtimeError)
    }
    let local =
      dryRunTwin == nil && invocation.local
      ? LocalTarget(dataDirectory: EmulatorCommand.defaultDataDirectory, rateLimit: invocation.localRateLimit) : nil
    let session = invocation.makeSession(local: local, dryRunTwin: dryRunTwin)
    let prompt = invocation.isInteractive ? PromptHooks() : nil
    let runner = invocation.makeRunner(session: session, prompt: prompt)
    let status: Int32
    if let prompt {
      status = await prompt.run(runner: runner, session: session, isLocal: invocation.local)
    } else {
      status = await invocation.execute(with: runner)
    }
    valuesAtExit = runner.evaluator.detachValues()
    sessionAtExit = session
    // The clusters of an in-process emulator must not outlive mpg.
    await local?.stop()
    await dryRunTwin?.remove()
    TextStream.standardOutput.flush()
    TextStream.standardError.flush()
    // Skip tearing down large values: the process is ending anyway.
    Glibc.exit(status)
  }

  mutating func run() async throws {}

  func validate() throws {
    if let output, OutputFormat(rawValue: output) == nil {
      throw ValidationError("--output takes \(OutputFormat.listed), not `\(output)`")
    }
    if let rateLimit, Invocation.pacing(rateLimit) == nil {
      throw ValidationError("--rate-limit takes `off` or N/SECONDS such as 10/10 or 5/1s, not `\(rateLimit)`")
    }
  }

  /// What this command line asks for, as plain values.
  var invocation: Invocation {
    Invocation(
      code: code, check: check, stringArguments: stringArguments, jsonArguments: jsonArguments, compact: compact,
      rawOutput: rawOutput, color: color, local: local, endpoint: endpoint, keyID: keyID, keySecret: keySecret,
      organization: organization, profile: profile, trace: trace, traceFull: verbose, echo: echo, step: step,
      output: output.flatMap(OutputFormat.init(rawValue:)), dryRun: dryRun, showSecrets: showSecrets,
      rateLimit: rateLimit, readOnly: readOnly, file: file, arguments: arguments)
  }
}
