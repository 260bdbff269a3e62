import FileIO
import JQ
import Outcomes

/// Runs parsed scripts: binds variables, evaluates jq expressions (natively when simple, else in the
/// script's compiled jq program), calls commands and `fn`s, and prints unbound results.
public final class Evaluator {
  /// Run-wide choices from the command line or the REPL's `set`.
  public struct Settings: Sendable {
    /// How unbound results are printed.
    public var printOptions: PrintOptions
    /// Whether commands may draw live status lines on standard error (it is a terminal).
    public var liveStatus: Bool
    /// Where a script and its commands' tasks run (`nil`: the default executor). A script runner sets
    /// the API client's event loop, so a loop of API commands never changes threads per request.
    public var taskExecutor: (any TaskExecutor)?
    /// Where the iterations of `parallel for` run, interleaved at their waits. It must run one job at
    /// a time (one thread): iterations share jq values, whose reference counts are not atomic, and
    /// the script's compiled jq program. `nil`: iterations run one after another.
    public var serialExecutor: (any TaskExecutor)?

    /// Settings with the given print options.
    public init(
      printOptions: PrintOptions = .pretty, liveStatus: Bool = false, taskExecutor: (any TaskExecutor)? = nil,
      serialExecutor: (any TaskExecutor)? = nil
    ) {
      self.printOptions = printOptions
      self.liveStatus = liveStatus
      self.taskExecutor = taskExecutor
      self.serialExecutor = serialExecutor
    }
  }

  let commands: any CommandLookup
  /// Where output goes.
  public let output: any OutputSink
  /// Current settings.
  public var settings: Settings
  /// Ctrl-C as seen by this evaluator.
  public let interrupts: InterruptState
  /// Script-level variables.
  var globals: [String: JSONValue] = [:]
  /// Sees each statement before it runs (`--echo`, `--step`); `nil` costs nothing.
  public var statementObserver: (any StatementObserver)?
  /// How deep the running statement is nested in blocks and `fn` calls.
  private var depth = 0
  /// `fn`s defined so far.
  var functions: [String: FunctionDefinition] = [:]
  /// Locals of the `fn` calls in progress, innermost last.
  var frames: [[String: JSONValue]] = []
  /// Files loaded through `source`, by resolved path.
  var scripts: [String: Script] = [:]
  /// The last command result (`load FILE | …`), kept until the next statement starts rather than
  /// freed as its own statement ends: a command-line run exits after its last statement without
  /// tearing values down, so a large value read there is never freed (freeing a 100 MB jv tree
  /// costs about 0.8 s). The next statement drops it first, so memory use does not grow.
  private var lastCommandResult: JSONValue?

  /// An evaluator that finds commands in `commands` and writes to `output`.
  public init(
    commands: any CommandLookup, output: any OutputSink, settings: Settings = Settings(),
    interrupts: InterruptState = InterruptState()
  ) {
    self.commands = commands
    self.output = output
    self.settings = settings
    self.interrupts = interrupts
  }

  // MARK: Variables

  /// Sets a script-level variable (`$args`, `--arg`, …).
  public func setGlobal(_ name: String, _ value: JSONValue) {
    globals[name] = value
  }

  /// The script-level variables, by name.
  public var globalVariables: [String: JSONValue] { globals }

  /// Hands over every value the evaluator holds (variables, the last command result) and forgets
  /// them, so that a process about to exit can keep them from being freed (freeing a 100 MB value
  /// costs about 0.8 s) while the scripts, the `fn`s and everything else are released normally.
  public func detachValues() -> [JSONValue] {
    var values = Array(globals.values) + frames.flatMap(\.values)
    if let lastCommandResult { values.append(lastCommandResult) }
    globals = [:]
    frames = []
    lastCommandResult = nil
    // The syntax trees of `fn`s and sourced files go too: kept alive to the end, they were found
    // "definitely lost" by leak checkers, which cannot follow the tagged pointers of indirect enum
    // payloads (NativeExpression).
    functions = [:]
    scripts = [:]
    return values
  }

  /// Names of the `fn`s defined so far.
  public var functionNames: Set<String> { Set(functions.keys) }

  func lookup(_ name: String) -> JSONValue? {
    if let frame = frames.last, let value = frame[name] { return value }
    return globals[name]
  }

  private func bind(_ name: String, _ value: JSONValue) {
    if frames.isEmpty {
      globals[name] = value
    } else {
      frames[frames.count - 1][name] = value
    }
  }

  // MARK: Loading

  /// Parses and compiles a script and the files it sources with literal paths.
  public func load(_ file: SourceFile) throws(SyntaxErrors) -> Script {
    let loader = ScriptLoader(
      builtins: commands.commandNames,
      predefinedVariables: Set(globals.keys),
      knownFunctions: Set(functions.keys),
      readFile: Evaluator.readText,
      unavailable: commands.unavailableCommands
    )
    let loaded = try loader.load(file)
    for script in loaded.dropFirst() { scripts[script.file.name] = script }
    return loaded[0]
  }

  static func readText(_ path: String) throws(RuntimeError) -> String {
    do {
      return try FileText.read(path)
    } catch {
      throw RuntimeError(kind: .io, message: error.message)
    }
  }

  // MARK: Running

  /// Runs a loaded script in the current scope. Throws `RuntimeError`, `ExitRequest` or `Interruption`.
  public func run(_ script: Script) async throws {
    hoistFunctions(of: script.body)
    let outside = StatementTracker.enter(SourceSpan(file: script.file, offset: 0, length: 0))
    defer { StatementTracker.restore(outside) }
    _ = try await execute(script.body)
  }

  private func hoistFunctions(of block: Block) {
    for statement in block.statements {
      if case .function(let definition) = statement.kind { functions[definition.name] = definition }
    }
  }

  /// How control leaves a statement.
  enum Flow {
    case normal, breakLoop, continueLoop
    case returned(JSONValue?)
  }

  func execute(_ block: Block) async throws -> Flow {
    for statement in block.statements {
      try interrupts.check()
      let flow = try await execute(statement)
      if case .normal = flow { continue }
      return flow
    }
    return .normal
  }

  private func execute(_ statement: Statement) async throws -> Flow {
    let enclosing = StatementTracker.enter(statement.span)
    defer { StatementTracker.restore(enclosing) }
    lastCommandResult = nil
    if let statementObserver, statement.isObservable {
      let decision = try await statementObserver.willRun(preview(of: statement)) {
        guard let invocation = statement.commandInvocation, functions[invocation.name] == nil else { return }
        _ = try await call(invocation)
      }
      if case .skip = decision { return .normal }
    }
    depth += 1
    defer { depth -= 1 }
    switch statement.kind {
    case .bind(let name, _, let pipeline):
      let values = try await outputs(of: pipeline)
      guard values.count == 1 else {
        throw RuntimeError(kind: .value, message: Messages.bindCount(name: name, count: values.count), at: pipeline.span)
      }
      bind(name, values[0])
    case .pipeline(let pipeline):
      try await printOutputs(of: pipeline)
    case .conditional(let branches, let otherwise):
      for branch in branches where try single(branch.condition, role: "condition").isTruthy {
        return try await execute(branch.body)
      }
      if let otherwise { return try await execute(otherwise) }
    case .forEach(let name, let sequence, let body):
      for value in try values(of: sequence, input: .null) {
        try interrupts.check()
        bind(name, value)
        let flow = try await execute(body)
        switch flow {
        case .breakLoop: return .normal
        case .returned: return flow
        case .normal, .continueLoop: continue
        }
      }
    case .parallelForEach(let loop):
      try await runParallel(loop, span: statement.span)
    case .loop(let condition, let body):
      while try single(condition, role: "condition").isTruthy {
        try interrupts.check()
        let flow = try await execute(body)
        switch flow {
        case .breakLoop: return .normal
        case .returned: return flow
        case .normal, .continueLoop: continue
        }
      }
    case .breakLoop:
      return .breakLoop
    case .continueLoop:
      return .continueLoop
    case .attempt(let body, let errorName, let handler):
      do {
        return try await execute(body)
      } catch let error as RuntimeError {
        if let errorName { bind(errorName, error.errorObject) }
        return try await execute(handler)
      }
    case .function(let definition):
      functions[definition.name] = definition
    case .returnValue(let pipeline):
      guard let pipeline else { return .returned(nil) }
      let values = try await outputs(of: pipeline)
      guard values.count == 1 else {
        throw RuntimeError(kind: .value, message: Messages.returnCount(values.count), at: pipeline.span)
      }
      return .returned(values[0])
    case .source(let argument):
      try await source(argument)
    case .assertion(let condition, let message):
      guard try single(condition, role: "assertion").isTruthy else {
        let text = try message.map { try single($0, role: "message").jqToString().stringValue ?? "" }
        throw RuntimeError(kind: .assert, message: text ?? "assertion failed: \(condition.text)", at: condition.span)
      }
    case .exit(let argument):
      guard let argument else { throw ExitRequest(code: ExitStatus.success) }
      let value = try await evaluate(argument).value
      guard let number = value.numberValue, number >= 0, number <= 255, number == number.rounded() else {
        throw RuntimeError(
          kind: .usage, message: "exit takes a code from 0 to 255, not \(value)", at: argument.span,
          exitCode: ExitStatus.usageError)
      }
      throw ExitRequest(code: Int32(number))
    }
    return .normal
  }

  /// How an observer sees `statement`.
  private func preview(of statement: Statement) -> StatementPreview {
    let span = statement.span
    let (line, column) = span.file.lineAndColumn(of: span.offset)
    let text = span.file.text(span.offset..<(span.offset + span.length))
    let firstLine = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? text
    return StatementPreview(
      fileName: span.file.name, line: line, column: column,
      text: String(firstLine.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()),
      commandName: statement.commandName, depth: depth)
  }

  // MARK: Pipelines

  private func outputs(of pipeline: Pipeline) async throws -> [JSONValue] {
    switch pipeline {
    case .expression(let expression):
      return try values(of: expression, input: .null)
    case .command(let invocation):
      switch try await call(invocation) {
      case .filteredInSlices(let filtered):
        return try filtered.get()
      case .result(let result):
        lastCommandResult = result
        guard let filter = invocation.filter else { return result.map { [$0] } ?? [] }
        return try values(of: filter, input: result ?? .null)
      }
    }
  }

  private func printOutputs(of pipeline: Pipeline) async throws {
    let options = settings.printOptions
    switch pipeline {
    case .expression(let expression):
      try stream(expression, input: .null) { output.write($0, options: options) }
    case .command(let invocation):
      let output = self.output
      let write: (JSONValue) -> Void =
        invocation.outputFormat.map { format in { output.write($0, options: options, format: format) } } ?? {
          output.write($0, options: options)
        }
      switch try await call(invocation) {
      case .filteredInSlices(let filtered):
        filtered.outputs.forEach(write)
        try filtered.throwFailure()
      case .result(let result):
        lastCommandResult = result
        if let filter = invocation.filter {
          try stream(filter, input: result ?? .null, write)
        } else if let result {
          if result.kind == .string, invocation.outputFormat == nil, functions[invocation.name] == nil,
            commands.command(named: invocation.name)?.printsStringsRaw == true
          {
            var raw = options
            raw.rawStrings = true
            output.write(result, options: raw)
          } else {
            write(result)
          }
        }
      }
    }
  }

  private func source(_ argument: Argument) async throws {
    let path = try await evaluate(argument).text
    let resolved = ScriptPaths.resolve(path, against: argument.span.file.directory)
    let script: Script
    if let loaded = scripts[resolved] {
      script = loaded
    } else {
      let text: String
      do {
        text = try Evaluator.readText(resolved)
      } catch {
        throw RuntimeError(kind: .io, message: "cannot source `\(path)`: \(error.message)", at: argument.span)
      }
      do {
        script = try load(SourceFile(name: resolved, text: text, directory: ScriptPaths.directory(of: resolved)))
      } catch {
        throw SourcedSyntaxErrors(errors: error, span: argument.span)
      }
      scripts[resolved] = script
    }
    try await run(script)
  }

  // MARK: Commands

  /// What running a command invocation gave.
  private enum CommandOutcome {
    /// The command's result, for the invocation's filter (if any) to read.
    case result(JSONValue?)
    /// The filter has already run, on the result's slices (see `ArrayStreamingCommand`).
    case filteredInSlices(SlicedOutputs)
  }

  private func call(_ invocation: CommandInvocation) async throws -> CommandOutcome {
    if let function = functions[invocation.name] {
      return .result(try await call(function, invocation))
    }
    guard let command = commands.command(named: invocation.name) else {
      throw RuntimeError(
        kind: .usage, message: "`\(invocation.name)` is not defined yet", at: invocation.nameSpan, exitCode: ExitStatus.usageError
      )
    }
    let call = try await evaluateArguments(
      of: invocation, options: command.options, filterWords: command.filterAfterWords, acceptsNull: command.acceptsNullArguments,
      streams: command.takesStreamedPositionals)
    let context = CommandContext(evaluator: self, sourceFile: invocation.span.file)
    do {
      if let filter = invocation.filter, filter.isElementwise, let streaming = command as? any ArrayStreamingCommand,
        let filtered = try await filterInSlices(streaming, call, context: context, filter: filter)
      {
        return .filteredInSlices(filtered)
      }
      return .result(try await command.run(call, context: context))
    } catch let error as RuntimeError {
      throw error
    } catch let error as ExitRequest {
      throw error
    } catch let error as Interruption {
      throw error
    } catch is CancellationError {
      throw Interruption()
    } catch {
      throw RuntimeError(kind: .error, message: "\(error)", at: invocation.span)
    }
  }

  private func call(_ function: FunctionDefinition, _ invocation: CommandInvocation) async throws -> JSONValue? {
    var locals: [String: JSONValue] = [:]
    var positionals: [(JSONValue, SourceSpan)] = []
    for argument in invocation.arguments {
      guard case .positional(let value) = argument.kind else {
        throw RuntimeError(
          kind: .usage, message: "`\(function.name)` takes positional arguments only (\(Messages.parameterList(function)))",
          at: argument.span, exitCode: ExitStatus.usageError)
      }
      positionals.append((try evaluate(value, span: argument.span).value, argument.span))
    }
    guard positionals.count == function.parameters.count else {
      let at = positionals.count > function.parameters.count ? positionals[function.parameters.count].1 : invocation.span
      throw RuntimeError(
        kind: .usage, message: Messages.argumentCount(function, given: positionals.count), at: at, exitCode: ExitStatus.usageError
      )
    }
    for (parameter, (value, _)) in zip(function.parameters, positionals) { locals[parameter] = value }
    guard frames.count < 1000 else {
      throw RuntimeError(
        kind: .value, message: "too many nested fn calls (1000); is `\(function.name)` recursing forever?", at: invocation.span)
    }
    frames.append(locals)
    defer { frames.removeLast() }
    do {
      if case .returned(let value) = try await execute(function.body) { return value }
      return nil
    } catch var error as RuntimeError {
      error.callChain.append((function.name, invocation.nameSpan))
      throw error
    }
  }

  private func evaluateArguments(
    of invocation: CommandInvocation, options: [CommandOption], filterWords: Set<String>, acceptsNull: Bool, streams: Bool = false
  ) async throws -> CommandCall {
    var call = CommandCall(name: invocation.name, span: invocation.span, positionals: [], options: [:], fields: [])
    var pendingOption: (name: String, span: SourceSpan)?
    for argument in invocation.arguments {
      switch argument.kind {
      case .positional(let value):
        let wantsFilter =
          pendingOption.map { pending in options.first { $0.name == pending.name }?.takesFilter ?? false }
          ?? (call.positionals.last?.word.map(filterWords.contains) ?? false)
        // The role names the argument in messages only: built when one is written, not per argument.
        let position = call.positionals.count
        let role = { pendingOption.map { "value of `--\($0.name)`" } ?? Messages.positional(position, of: invocation.name) }
        let evaluated: CallValue
        if wantsFilter {
          evaluated = filterArgument(value, span: argument.span)
        } else if streams, pendingOption == nil, case .expression(let expression) = value {
          evaluated = try streamed(expression)
        } else {
          evaluated = try evaluate(value, span: argument.span, role: role())
        }
        if !wantsFilter, !acceptsNull { try requireNotAccidentallyNull(evaluated, value, role: role()) }
        if let pending = pendingOption {
          call.options[pending.name] = evaluated
          pendingOption = nil
        } else {
          call.positionals.append(evaluated)
        }
      case .field(let key, let value, let isJSON):
        try requireNoPendingOption(pendingOption, invocation)
        var evaluated = try evaluate(value, span: argument.span, role: "field `\(key)`")
        if !acceptsNull { try requireNotAccidentallyNull(evaluated, value, role: "field `\(key)`") }
        if !isJSON, evaluated.value.kind != .string { evaluated.value = evaluated.value.jqToString() }
        call.fields.append((key, evaluated))
      case .option(let name, let value):
        try requireNoPendingOption(pendingOption, invocation)
        guard let option = options.first(where: { $0.name == name }) else {
          throw RuntimeError(
            kind: .usage, message: Messages.unknownOption(name, command: invocation.name, options: options), at: argument.span,
            exitCode: ExitStatus.usageError)
        }
        if let value {
          guard option.takesValue else {
            throw RuntimeError(
              kind: .usage, message: "`--\(name)` takes no value", at: argument.span, exitCode: ExitStatus.usageError)
          }
          if option.takesFilter {
            call.options[name] = filterArgument(value, span: argument.span)
          } else {
            let evaluated = try evaluate(value, span: argument.span, role: "value of `--\(name)`")
            if !acceptsNull { try requireNotAccidentallyNull(evaluated, value, role: "value of `--\(name)`") }
            call.options[name] = evaluated
          }
        } else if option.takesValue {
          pendingOption = (name, argument.span)
        } else {
          call.options[name] = CallValue(value: JSONValue(true), span: argument.span, word: nil)
        }
      }
    }
    try requireNoPendingOption(pendingOption, invocation)
    return call
  }

  /// A positional term of a command that takes streams: every output, as one array unless there was
  /// exactly one.
  private func streamed(_ expression: Expression) throws -> CallValue {
    let outputs = try values(of: expression, input: .null)
    if outputs.count == 1 { return CallValue(value: outputs[0], span: expression.span, word: nil) }
    var value = CallValue(value: JSONValue(array: outputs), span: expression.span, word: nil)
    value.isStream = true
    return value
  }

  /// Fails when a term (not a literal word: `key:=null` is meant) evaluated to `null`, e.g. `name=$args[0]`
  /// with no argument given, which would otherwise send `"null"` or `null` to the API.
  private func requireNotAccidentallyNull(_ evaluated: CallValue, _ value: ArgumentValue, role: @autoclosure () -> String) throws
  {
    guard evaluated.value.kind == .null, case .expression(let expression) = value else { return }
    throw RuntimeError(
      kind: .usage, message: Messages.nullArgument(role: role(), term: expression.text), at: expression.span,
      exitCode: ExitStatus.usageError)
  }

  private func requireNoPendingOption(_ pending: (name: String, span: SourceSpan)?, _ invocation: CommandInvocation) throws {
    if let pending {
      throw RuntimeError(
        kind: .usage, message: "`--\(pending.name)` needs a value", at: pending.span, exitCode: ExitStatus.usageError)
    }
  }

  private func evaluate(_ argument: Argument) async throws -> CallValue {
    switch argument.kind {
    case .positional(let value), .field(_, let value, _): return try evaluate(value, span: argument.span)
    case .option(let name, _):
      throw RuntimeError(
        kind: .usage, message: "unexpected option `--\(name)`", at: argument.span, exitCode: ExitStatus.usageError)
    }
  }

  /// A filter argument: not run now; the command runs it on inputs of its own. A bare word stays a
  /// word (no filter), so the command can ask for parentheses.
  private func filterArgument(_ value: ArgumentValue, span: SourceSpan) -> CallValue {
    switch value {
    case .word(let word, let json):
      return CallValue(value: json, span: span, word: word)
    case .expression(let expression):
      return CallValue(
        value: .null, span: expression.span, word: nil,
        filter: CallFilter(text: expression.text) { [self] input in
          try values(of: expression, input: input)
        })
    }
  }

  func evaluate(_ value: ArgumentValue, span: SourceSpan, role: @autoclosure () -> String = "argument") throws -> CallValue {
    switch value {
    case .word(let word, let json):
      return CallValue(value: json, span: span, word: word)
    case .expression(let expression):
      return CallValue(value: try single(expression, role: role(), isArgument: true), span: expression.span, word: nil)
    }
  }

  // MARK: jq expressions

  /// Exactly one output of `expression`, or a located error that says how many there were: a usage
  /// error (exit 2) for a command's argument, whose term was written wrongly, else a value error.
  func single(_ expression: Expression, role: @autoclosure () -> String, isArgument: Bool = false) throws -> JSONValue {
    if let native = expression.native, let value = native.evaluate(input: .null, variables: lookup) {
      return value
    }
    let outputs = try values(of: expression, input: .null)
    guard outputs.count == 1 else {
      let message = Messages.singleValue(role: role(), count: outputs.count)
      throw RuntimeError(
        kind: isArgument ? .usage : .value, message: message, at: expression.span,
        exitCode: isArgument ? ExitStatus.usageError : ExitStatus.runtimeError)
    }
    return outputs[0]
  }

  /// Every output of `expression` applied to `input`.
  func values(of expression: Expression, input: JSONValue) throws -> [JSONValue] {
    var collected: [JSONValue] = []
    try stream(expression, input: input) { collected.append($0) }
    return collected
  }

  /// Hands each output to `body` as jq produces it.
  private func stream(_ expression: Expression, input: JSONValue, _ body: (JSONValue) throws -> Void) throws {
    do {
      try streamReportingJQErrors(expression, input: input, body)
    } catch let error as JQRunError {
      throw try runtimeError(error, expression: expression)
    }
  }

  /// `stream`, except that jq's errors and halts come out as they are, not yet turned into a
  /// `RuntimeError` (which prints a halt's message), so a caller can hold them back.
  func streamReportingJQErrors(_ expression: Expression, input: JSONValue, _ body: (JSONValue) throws -> Void) throws {
    if let native = expression.native, let value = native.evaluate(input: input, variables: lookup) {
      return try body(value)
    }
    if let range = expression.nativeRange, let values = range.values(input: input, variables: lookup) {
      for value in values { try body(value) }
      return
    }
    let (batch, index) = try compiled(expression)
    var arguments: [JSONValue] = []
    arguments.reserveCapacity(expression.parameters.count)
    for name in expression.parameters {
      if let value = lookup(name) {
        arguments.append(value)
      } else if expression.locallyBound.contains(name) {
        arguments.append(.null)
      } else {
        let span = expression.references.first { $0.name == name }?.span ?? expression.span
        throw RuntimeError(kind: .value, message: "variable `$\(name)` is not set here", at: span)
      }
    }
    try interrupts.check()
    interrupts.running(batch)
    defer { interrupts.running(nil) }
    try batch.stream(index, input: input, arguments: arguments, isCancelled: { interrupts.isInterrupted }, body)
  }

  /// A native expression that needs jq after all (e.g. an error case) is compiled on first use.
  private func compiled(_ expression: Expression) throws -> (ExpressionBatch, Int) {
    if let compiled = expression.compiled { return compiled }
    let problems = ScriptLoader.compile([expression])
    if let problem = problems.first {
      throw RuntimeError(kind: .jq, message: problem.message, at: problem.span)
    }
    return expression.compiled!
  }

  func runtimeError(_ error: JQRunError, expression: Expression) throws -> RuntimeError {
    switch error {
    case .error(let error):
      return RuntimeError(kind: .jq, message: error.message, at: expression.span, value: error.value)
    case .halted(let code, let message):
      try interrupts.check()
      // jq's `halt` and `halt_error`: print the message as jq does, then end the run with the code.
      if let message {
        output.writeError(message.stringValue ?? message.description + "\n")
      }
      let number = code?.numberValue ?? 0
      throw ExitRequest(code: Int32(clamping: Int(number.isFinite ? number : 5)))
    }
  }
}

/// A file run by `source` at run time had syntax errors.
public struct SourcedSyntaxErrors: Error, Sendable {
  /// The file's errors.
  public var errors: SyntaxErrors
  /// The `source` statement.
  public var span: SourceSpan
}
