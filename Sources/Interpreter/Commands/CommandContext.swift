import JQ

/// What a running command may use of the interpreter: output, settings, paths and variables.
public struct CommandContext {
  let evaluator: Evaluator
  /// The file the invocation is written in, for resolving relative paths.
  public let sourceFile: SourceFile

  /// Where output goes.
  public var output: any OutputSink { evaluator.output }

  /// How values are printed by default.
  public var printOptions: PrintOptions { evaluator.settings.printOptions }

  /// Resolves `path` against the directory of the script that wrote it (`-` stays as is).
  public func resolvePath(_ path: String) -> String {
    ScriptPaths.resolve(path, against: sourceFile.directory)
  }

  /// Throws `Interruption` once the user has pressed Ctrl-C; long commands call this as they wait.
  public func checkInterrupted() throws(Interruption) {
    try evaluator.interrupts.check()
  }

  /// Sets a script-level variable (commands use it for facts such as `$last`).
  public func setGlobal(_ name: String, to value: JSONValue) {
    evaluator.globals[name] = value
  }

  /// The value of a variable as a script at this point would see it.
  public func variable(_ name: String) -> JSONValue? {
    evaluator.lookup(name)
  }

  /// Forgets a Ctrl-C that was meant for a child process that had the terminal (psql).
  public func clearInterruption() {
    evaluator.interrupts.reset()
  }

  /// Whether a person watches standard error at a terminal: commands may then show live status lines.
  public var showsLiveStatus: Bool { evaluator.settings.liveStatus }

  /// Runs `operation` as a task that Ctrl-C cancels (an HTTP request, a wait); an interruption comes
  /// back as `Interruption`.
  public func cancellingOnInterrupt<Value: Sendable>(_ operation: @escaping @Sendable () async throws -> Value) async throws
    -> Value
  {
    try checkInterrupted()
    let task = Task(executorPreference: evaluator.settings.taskExecutor) { try await operation() }
    let token = evaluator.interrupts.onInterrupt { task.cancel() }
    defer { evaluator.interrupts.release(token) }
    do {
      return try await task.value
    } catch is CancellationError {
      throw Interruption()
    } catch {
      if evaluator.interrupts.isInterrupted { throw Interruption() }
      throw error
    }
  }
}
