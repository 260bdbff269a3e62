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
}
