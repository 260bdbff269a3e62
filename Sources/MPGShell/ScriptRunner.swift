import Builtins
import Interpreter
import JQ
import Outcomes

/// Loads and runs scripts for the shell, printing diagnostics and mapping every outcome to an exit code.
final class ScriptRunner {
  let evaluator: Evaluator
  let interrupts = InterruptState()
  private let renderer: DiagnosticRenderer
  private let output: any OutputSink
  /// Every command the scripts can call.
  let commands: BuiltinRegistry

  init(
    printOptions: PrintOptions, diagnosticsInColor: Bool, commands: BuiltinRegistry = .standard, maskSecrets: Bool = true,
    secrets: SecretRegistry = SecretRegistry(), liveStatus: Bool = false, display: DisplayOutput? = nil,
    taskExecutor: (any TaskExecutor)? = nil, serialExecutor: (any TaskExecutor)? = nil
  ) {
    // Scripts get a display too, with no format of its own, so `-o table` draws a table there as well.
    let display = display ?? DisplayOutput()
    display.base = maskSecrets ? SecretMaskingOutput(wrapping: StandardStreams(), secrets: secrets) : StandardStreams()
    display.secrets = maskSecrets ? secrets : nil
    output = display
    self.commands = commands
    evaluator = Evaluator(
      commands: commands,
      output: output,
      settings: Evaluator.Settings(
        printOptions: printOptions, liveStatus: liveStatus, taskExecutor: taskExecutor, serialExecutor: serialExecutor),
      interrupts: interrupts
    )
    renderer = DiagnosticRenderer(color: diagnosticsInColor)
    // `$last` holds the facts of the last API request; declared from the start so scripts may read it.
    evaluator.setGlobal("last", .null)
  }

  /// Binds `--arg`, `--argjson` and `$args`.
  func bind(strings: [String], json: [String], scriptArguments: [String]) throws(Diagnostic) {
    evaluator.setGlobal("args", JSONValue(array: scriptArguments.map { JSONValue($0) }))
    for pair in strings {
      let (name, value) = try split(pair, option: "--arg")
      evaluator.setGlobal(name, JSONValue(value))
    }
    for pair in json {
      let (name, text) = try split(pair, option: "--argjson")
      do {
        evaluator.setGlobal(name, try JSONValue(parsing: text))
      } catch {
        throw Diagnostic("--argjson \(name): the value is not JSON: \(error.message)", at: nil)
      }
    }
  }

  private func split(_ pair: String, option: String) throws(Diagnostic) -> (String, String) {
    guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
      throw Diagnostic("\(option) takes a name and a value: \(option) NAME VALUE", at: nil)
    }
    let name = String(pair[..<equals])
    guard name.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x5F }),
      !(name.first?.isNumber ?? true)
    else {
      throw Diagnostic("\(option): `\(name)` is not a variable name", at: nil)
    }
    return (name, String(pair[pair.index(after: equals)...]))
  }

  /// Parses (and unless `checkOnly`, runs) a file; returns the exit code.
  func run(_ file: SourceFile, checkOnly: Bool) async -> Int32 {
    let script: Script
    do {
      script = try evaluator.load(file)
    } catch {
      return report(error)
    }
    if checkOnly { return ExitStatus.success }
    let watcher = SignalWatcher(interrupts: interrupts)
    defer { withExtendedLifetime(watcher) {} }
    return await execute(script)
  }

  /// Runs a loaded script; returns the exit code.
  func execute(_ script: Script) async -> Int32 {
    do {
      try await withTaskExecutorPreference(evaluator.settings.taskExecutor) { try await evaluator.run(script) }
      output.flush()
      return ExitStatus.success
    } catch {
      return report(error)
    }
  }

  /// Prints an error as users should see it and returns its exit code.
  @discardableResult
  func report(_ error: any Error) -> Int32 {
    output.flush()
    switch error {
    case let errors as SyntaxErrors:
      errors.diagnostics.forEach { output.writeError(renderer.render($0)) }
      return ExitStatus.usageError
    case let sourced as SourcedSyntaxErrors:
      sourced.errors.diagnostics.forEach { output.writeError(renderer.render($0)) }
      output.writeError(renderer.render(Diagnostic("the sourced file has syntax errors", at: sourced.span)))
      return ExitStatus.usageError
    case let error as RuntimeError:
      output.writeError(renderer.render(error.diagnostic))
      return error.exitCode
    case let exit as ExitRequest:
      return exit.code
    case is Interruption:
      output.writeError("mpg: interrupted\n")
      return ExitStatus.interrupted
    case let diagnostic as Diagnostic:
      output.writeError(renderer.render(diagnostic))
      return ExitStatus.usageError
    default:
      output.writeError("mpg: error: \(error)\n")
      return ExitStatus.runtimeError
    }
  }

  /// Reports a usage problem of mpg's own command line.
  func usage(_ message: String) -> Int32 {
    report(Diagnostic(message, at: nil))
  }
}
