import JQ

/// Turns source text into runnable scripts: parses a file and the files it `source`s with a literal
/// path, checks variables, and compiles every jq expression that is not native into one jq program,
/// so all syntax errors, mpg's and jq's, are reported before anything runs.
struct ScriptLoader {
  let builtins: Set<String>
  /// Variables that exist before the script runs (`$args`, `--arg`s, a REPL session's variables).
  let predefinedVariables: Set<String>
  /// `fn`s already defined (in a REPL session), so later entries parse their calls as commands.
  let knownFunctions: Set<String>
  /// Reads a file's text, or throws a message.
  let readFile: (String) throws(RuntimeError) -> String
  /// Commands known but not runnable here, with where they run (see `CommandLookup.unavailableCommands`).
  var unavailable: [String: String] = [:]

  /// Parses `file` and its static sources; returns them all, the main one first.
  func load(_ file: SourceFile) throws(SyntaxErrors) -> [Script] {
    var files = [file]
    var parsed: [Parser] = []
    var functions = knownFunctions
    var diagnostics: [Diagnostic] = []
    // Parse until the set of fn names is stable: a call parses as a command only once its fn is known.
    for _ in 0..<4 {
      parsed = []
      diagnostics = []
      var index = 0
      var seen: Set<String> = [file.name]
      while index < files.count {
        var parser = Parser(
          file: files[index], commandNames: builtins.union(functions), builtins: builtins,
          predefinedVariables: predefinedVariables, unavailable: unavailable)
        parser.parseAll()
        diagnostics += parser.diagnostics
        for (path, span) in parser.staticSources {
          let resolved = ScriptPaths.resolve(path, against: files[index].directory)
          guard !seen.contains(resolved) else { continue }
          seen.insert(resolved)
          do {
            let text = try readFile(resolved)
            files.append(SourceFile(name: resolved, text: text, directory: ScriptPaths.directory(of: resolved)))
          } catch {
            diagnostics.append(Diagnostic("cannot source `\(path)`: \(error.message)", at: span))
          }
        }
        parsed.append(parser)
        index += 1
      }
      let defined = parsed.reduce(into: knownFunctions) { $0.formUnion($1.definedFunctions) }
      if defined == functions { break }
      functions = defined
    }
    let expressions = parsed.flatMap(\.expressions)
    let known = parsed.reduce(into: predefinedVariables) { $0.formUnion($1.boundNames) }
    diagnostics += ScriptLoader.checkVariables(expressions, known: known)
    // An expression with an undefined variable was reported above; jq would only repeat it.
    let compiled = ScriptLoader.compile(
      expressions.filter { expression in
        !expression.isNative
          && expression.references.allSatisfy { known.contains($0.name) || expression.locallyBound.contains($0.name) }
      })
    diagnostics += compiled.map { UnknownName.explain($0, commands: builtins.union(functions)) }
    guard diagnostics.isEmpty else {
      throw SyntaxErrors(
        diagnostics: diagnostics.sorted {
          ($0.span?.file.name ?? "", $0.span?.offset ?? 0) < ($1.span?.file.name ?? "", $1.span?.offset ?? 0)
        })
    }
    return zip(files, parsed).map { Script(file: $0, body: $1.body, functions: $1.definedFunctions) }
  }

  /// Reports `$name`s that nothing binds, and fixes each expression's parameter list.
  static func checkVariables(_ expressions: [Expression], known: Set<String>) -> [Diagnostic] {
    var diagnostics: [Diagnostic] = []
    for expression in expressions {
      var parameters: [String] = []
      for (name, span) in expression.references {
        if known.contains(name) {
          parameters.append(name)
        } else if !expression.locallyBound.contains(name) {
          diagnostics.append(Diagnostic("undefined variable `$\(name)`", at: span))
        }
      }
      expression.parameters = parameters
    }
    return diagnostics
  }

  /// Compiles expressions as one jq program and attaches each to it; jq's errors become located
  /// diagnostics pointing into the mpg source.
  static func compile(_ expressions: [Expression]) -> [Diagnostic] {
    guard !expressions.isEmpty else { return [] }
    let batchInput = expressions.map { ExpressionBatch.Expression(text: $0.text, parameters: $0.parameters) }
    do {
      let batch = try ExpressionBatch(batchInput)
      for (index, expression) in expressions.enumerated() {
        expression.compiled = (batch, index)
      }
      return []
    } catch {
      return error.problems.map { problem in
        let expression = expressions[problem.expression]
        return Diagnostic(problem.message, at: span(of: expression, line: problem.lineInExpression ?? 0))
      }
    }
  }

  /// The expression's span, or from the given line inside it onwards when jq named a later line.
  private static func span(of expression: Expression, line: Int) -> SourceSpan {
    guard line > 0 else { return expression.span }
    let bytes = expression.span.file.bytes
    var offset = expression.span.offset
    var remaining = line
    let end = expression.span.offset + expression.span.length
    while offset < end, remaining > 0 {
      if bytes[offset] == 0x0A { remaining -= 1 }
      offset += 1
    }
    while offset < end, bytes[offset] == 0x20 || bytes[offset] == 0x09 { offset += 1 }
    return SourceSpan(file: expression.span.file, offset: offset, length: end - offset)
  }
}
