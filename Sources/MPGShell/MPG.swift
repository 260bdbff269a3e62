// The thin executable: mpg's own command line, terminal detection and exit codes. Everything else
// lives in the libraries (Interpreter, Builtins, JQ), which tests drive without a terminal.
import FileIO
import ArgumentParser
import Builtins
import Interpreter
import JQ

#if canImport(Glibc)
  import Glibc
#endif

@main
struct MPG: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "mpg",
    abstract: "Drive ClickHouse Cloud's Managed Postgres API by hand, in runbooks and in teaching.",
    discussion: """
      With a FILE, runs it as a script (`-` or piped input reads standard input). With -c, runs CODE. \
      With neither on a terminal, starts an interactive session.

      `mpg emulator serve|status|reset` runs the local emulator of the API (see `mpg emulator --help`).

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

  @Argument(help: ArgumentHelp("A script to run, then its arguments ($args).", valueName: "file"))
  var file: String?

  @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("Arguments for the script, as the array $args.", valueName: "arg"))
  var arguments: [String] = []

  /// argument-parser has no two-value options, so jq's `--arg NAME VALUE` pairs are joined into one
  /// `NAME=VALUE` token before parsing. Only mpg's own options (before the script) are rewritten.
  static func joiningPairs(_ argv: [String]) -> [String] {
    var result: [String] = []
    var index = 0
    while index < argv.count {
      let word = argv[index]
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

  static func main() async {
    JQAllocation.useOneArena()
    let argv = joiningPairs(Array(CommandLine.arguments.dropFirst()))
    let root: any ParsableCommand.Type = argv.first == "emulator" ? EmulatorCommand.self : MPG.self
    do {
      // `mpg emulator …` is dispatched here: with a positional script argument at the root,
      // argument-parser would read `emulator` as a file name.
      var command = try root.parseAsRoot(root == MPG.self ? argv : Array(argv.dropFirst()))
      if var mpg = command as? MPG {
        let status: Int32
        do {
          let runner = mpg.makeRunner()
          status = await mpg.execute(with: runner)
          valuesAtExit = runner.evaluator.detachValues()
        }
        TextStream.standardOutput.flush()
        TextStream.standardError.flush()
        // Skip tearing down large values: the process is ending anyway.
        Glibc.exit(status)
      }
      if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
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

  mutating func run() async throws {}

  /// The runner for this command line's print options.
  func makeRunner() -> ScriptRunner {
    let options = PrintOptions(
      indent: compact ? 0 : 2,
      color: color ?? Terminal.wantsColor(terminal: Terminal.outputIsTerminal),
      rawStrings: rawOutput
    )
    return ScriptRunner(printOptions: options, diagnosticsInColor: Terminal.wantsColor(terminal: Terminal.errorIsTerminal))
  }

  /// Runs what the command line asks for with `runner` and returns the exit code.
  mutating func execute(with runner: ScriptRunner) async -> Int32 {
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
    if file == nil, Terminal.inputIsTerminal, !check {
      return await BasicREPL(runner: runner).run()
    }
    do {
      let text = try FileText.read("-")
      return await runner.run(SourceFile(name: "<stdin>", text: text), checkOnly: check)
    } catch {
      return runner.usage(error.message)
    }
  }
}
