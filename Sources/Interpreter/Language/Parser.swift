import JQ
import Outcomes

/// Parses mpg source into statements. Expressions are jq text, lexed only enough to find their
/// ends and variables; jq compiles them later. After an error the parser skips to the next line,
/// so one run reports every syntax error of a file.
struct Parser {
  private var lexer: Lexer
  /// Names that start a command statement: builtins and known `fn`s.
  private let commandNames: Set<String>
  /// Names of builtin commands, which a `fn` may not take.
  private let builtins: Set<String>
  /// Commands this run knows of but cannot run, with where they run (`CommandLookup.unavailableCommands`).
  private let unavailable: [String: String]
  private(set) var diagnostics: [Diagnostic] = []
  /// Every expression created, for compiling them together.
  private(set) var expressions: [Expression] = []
  /// Names of `fn`s this file defines.
  private(set) var definedFunctions: Set<String> = []
  /// Variable names this file binds anywhere (let, for, catch, fn parameters).
  private(set) var boundNames: Set<String> = []
  /// `source` statements with a literal path.
  private(set) var staticSources: [(path: String, span: SourceSpan)] = []
  private var loopDepth = 0
  private var functionDepth = 0
  /// The variables each scope has bound so far: the file's (with those that exist before it runs)
  /// first, then the `fn` being parsed, if any.
  private var scopes: [Set<String>]
  /// Inside a `parallel for` body: the names of the code around it, which an iteration may read but
  /// not bind (`nil` outside one).
  private var readOnlyNames: Set<String>?
  /// Whether the statement being parsed is in a `parallel for` body (and not in a `fn` inside one).
  private var inParallelBody = false
  /// Blocks are parsed (and run) recursively; past this depth the parser reports an error rather
  /// than exhausting the stack on hostile input.
  private var blockDepth = 0
  private static let maximumBlockDepth = 100

  private static let maximumDiagnostics = 50

  /// The parsed statements, once `parseAll` ran.
  private(set) var body = Block(statements: [])

  init(
    file: SourceFile, commandNames: Set<String>, builtins: Set<String>, predefinedVariables: Set<String> = [],
    unavailable: [String: String] = [:]
  ) {
    self.lexer = Lexer(file: file)
    self.commandNames = commandNames
    self.builtins = builtins
    self.unavailable = unavailable
    scopes = [predefinedVariables]
  }

  private var file: SourceFile { lexer.file }

  /// Parses the whole file into `body`.
  mutating func parseAll() {
    body = parseStatements(closedBy: nil)
  }

  // MARK: Blocks and statement boundaries

  private mutating func parseStatements(closedBy opener: SourceSpan?) -> Block {
    var statements: [Statement] = []
    while true {
      skipSeparators()
      guard let byte = lexer.current else {
        if let opener {
          report(Diagnostic("this block is never closed; expected `}`", at: opener))
        }
        return Block(statements: statements)
      }
      if byte == 0x7D {  // }
        if opener != nil {
          lexer.position += 1
          return Block(statements: statements)
        }
        report(Diagnostic("unexpected `}` with no block open", at: lexer.span(lexer.position, 1)))
        lexer.position += 1
        continue
      }
      let expressionsBefore = expressions.count
      do {
        statements.append(try parseStatement())
        try expectStatementEnd()
      } catch {
        report(error)
        // The failed statement's expressions would only repeat its error as jq or variable errors.
        expressions.removeSubrange(expressionsBefore...)
        recover(insideBlock: opener != nil)
      }
      if diagnostics.count >= Parser.maximumDiagnostics { return Block(statements: statements) }
    }
  }

  private mutating func skipSeparators() {
    while true {
      lexer.skipBlanks(includingNewlines: true)
      if lexer.current == 0x3B { lexer.position += 1 } else { return }
    }
  }

  private mutating func expectStatementEnd() throws(Diagnostic) {
    lexer.skipBlanks()
    guard let byte = lexer.current, byte != 0x0A, byte != 0x3B, byte != 0x7D else { return }
    let save = lexer
    let token = (try? lexer.nextToken()) ?? Token(kind: .symbol, offset: save.position, length: 1, text: "?")
    lexer = save
    throw Diagnostic("expected a newline or `;` before `\(token.text)`", at: lexer.span(token.offset, token.length))
  }

  /// Skips the rest of the line after an error. Inside a block it stops before a `}` outside any
  /// bracket or string, so the block in `if c { break }` still closes and the next lines stay outside it.
  private mutating func recover(insideBlock: Bool) {
    var depth = 0
    while let byte = lexer.current, byte != 0x0A {
      switch byte {
      case 0x22:  // a string: skip to its closing quote on this line
        lexer.position += 1
        while let next = lexer.current, next != 0x22, next != 0x0A {
          lexer.position += next == 0x5C && lexer.byte(at: lexer.position + 1) != 0x0A ? 2 : 1
        }
        if lexer.current == 0x22 { lexer.position += 1 }
        continue
      case 0x23:  // a comment runs to the end of the line
        while let next = lexer.current, next != 0x0A { lexer.position += 1 }
        continue
      case 0x28, 0x5B, 0x7B:
        depth += 1
      case 0x29, 0x5D, 0x7D:
        if byte == 0x7D, depth == 0, insideBlock { return }
        depth = max(0, depth - 1)
      default:
        break
      }
      lexer.position += 1
    }
  }

  private mutating func report(_ diagnostic: Diagnostic) {
    if diagnostics.count < Parser.maximumDiagnostics { diagnostics.append(diagnostic) }
  }

  // MARK: Statements

  private mutating func parseStatement() throws(Diagnostic) -> Statement {
    let save = lexer
    let first = try lexer.nextToken()
    if first.kind == .identifier {
      let start = lexer.span(first.offset, first.length)
      switch first.text {
      case "let": return try parseLet(start)
      case "if":
        if let statement = try parseIf(start) { return statement }
      case "for": return try parseFor(start)
      case "parallel":
        if peekKeyword("for") { return try parseParallel(start) }
      case "while": return try parseWhile(start)
      case "break", "continue":
        if loopDepth == 0, inParallelBody {
          // `continue` ends this iteration; nothing may stop the others half-way.
          guard first.text == "continue" else {
            throw Diagnostic("`break` cannot stop the other iterations of a `parallel for`; `continue` ends this one", at: start)
          }
          return Statement(kind: .continueLoop, span: start)
        }
        guard loopDepth > 0 else { throw Diagnostic("`\(first.text)` outside a loop", at: start) }
        return Statement(kind: first.text == "break" ? .breakLoop : .continueLoop, span: start)
      case "try":
        if peekSymbol("{") { return try parseTry(start) }
      case "fn": return try parseFunction(start)
      case "return": return try parseReturn(start)
      case "source": return try parseSource(start)
      case "assert": return try parseAssert(start)
      case "exit":
        let argument = try parseOptionalArgument()
        return Statement(kind: .exit(argument), span: spanned(from: start))
      default:
        if commandNames.contains(first.text), isWordBoundary {
          let invocation = try parseCommand(first)
          return Statement(kind: .pipeline(.command(invocation)), span: invocation.span)
        }
        if let place = unavailable[first.text], isWordBoundary {
          throw Diagnostic("`\(first.text)` runs only \(place)", at: start)
        }
      }
    }
    lexer = save
    let expression = try parseExpression()
    return Statement(kind: .pipeline(.expression(expression)), span: expression.span)
  }

  private mutating func parseLet(_ start: SourceSpan) throws(Diagnostic) -> Statement {
    let (name, nameSpan) = try parseVariableName(role: "a variable name after `let`")
    lexer.skipBlanks()
    guard lexer.current == 0x3D, lexer.byte(at: lexer.position + 1) != 0x3D else {
      throw Diagnostic("expected `=` after `let \(name)`", at: lexer.span(lexer.position, 1))
    }
    lexer.position += 1
    let value = try parsePipeline()
    try declare(name, at: nameSpan)
    return Statement(kind: .bind(name: name, nameSpan: nameSpan, value: value), span: spanned(from: start))
  }

  /// `if` starts an mpg conditional, unless the header reads as jq's `if … then … end`.
  private mutating func parseIf(_ start: SourceSpan) throws(Diagnostic) -> Statement? {
    let save = lexer
    var branches: [(condition: Expression, body: Block)] = []
    var otherwise: Block?
    var keyword = start
    while true {
      let tokens = try scanTokens(stopAtBlock: true)
      if tokens.contains(where: { $0.isKeyword("then") }) {
        if branches.isEmpty {
          lexer = save
          return nil
        }
        throw Diagnostic("`elif` takes an mpg condition followed by `{`, not jq's `then`", at: keyword)
      }
      let condition = try makeExpression(tokens, after: keyword)
      let body = try parseBlock(after: "the condition")
      branches.append((condition, body))
      guard let next = peekContinuation(["elif", "else"]) else { break }
      keyword = next
      if lexer.file.text(next.offset..<next.offset + next.length) == "else" {
        otherwise = try parseBlock(after: "`else`")
        break
      }
    }
    return Statement(kind: .conditional(branches: branches, otherwise: otherwise), span: spanned(from: start))
  }

  private mutating func parseFor(_ start: SourceSpan) throws(Diagnostic) -> Statement {
    let (name, nameSpan) = try parseVariableName(role: "a loop variable name after `for`")
    let keyword = try lexer.nextToken()
    guard keyword.isKeyword("in") else {
      throw Diagnostic("expected `in` after `for \(name)`", at: lexer.span(keyword.offset, max(keyword.length, 1)))
    }
    let sequence = try makeExpression(try scanTokens(stopAtBlock: true), after: lexer.span(keyword.offset, keyword.length))
    try declare(name, at: nameSpan)
    loopDepth += 1
    defer { loopDepth -= 1 }
    let body = try parseBlock(after: "the sequence")
    return Statement(kind: .forEach(name: name, sequence: sequence, body: body), span: spanned(from: start))
  }

  /// `parallel for NAME in EXPR [--jobs N] [--label (FILTER) | --no-label] { … }`. The body gets a
  /// scope of its own: the names around it are read-only there, and what it binds stays inside.
  private mutating func parseParallel(_ start: SourceSpan) throws(Diagnostic) -> Statement {
    _ = try lexer.nextToken()  // for
    let (name, _) = try parseVariableName(role: "a loop variable name after `parallel for`")
    let keyword = try lexer.nextToken()
    guard keyword.isKeyword("in") else {
      throw Diagnostic("expected `in` after `parallel for \(name)`", at: lexer.span(keyword.offset, max(keyword.length, 1)))
    }
    let sequence = try makeExpression(
      try scanTokens(stopAtBlock: true, stopAtOption: true), after: lexer.span(keyword.offset, keyword.length))
    var loop = ParallelLoop(name: name, sequence: sequence, jobs: nil, label: nil, unlabelled: false, body: Block(statements: []))
    try parseParallelOptions(into: &loop)
    let visible = scopes[0].union(scopes[scopes.count - 1])
    let saved = (readOnlyNames, inParallelBody, loopDepth)
    readOnlyNames = (readOnlyNames ?? []).union(visible).subtracting([name])
    inParallelBody = true
    loopDepth = 0
    scopes.append([name])
    boundNames.insert(name)
    defer {
      (readOnlyNames, inParallelBody, loopDepth) = saved
      scopes.removeLast()
    }
    loop.body = try parseBlock(after: "the sequence")
    return Statement(kind: .parallelForEach(loop), span: spanned(from: start))
  }

  /// `--jobs N`, `--label (FILTER)` and `--no-label`, between the sequence and the body.
  private mutating func parseParallelOptions(into loop: inout ParallelLoop) throws(Diagnostic) {
    while true {
      lexer.skipBlanks()
      guard lexer.current == 0x2D else { return }
      let start = lexer.position
      var word = readWord()
      var inlineValue: String?
      if let equals = word.firstIndex(of: "=") {
        inlineValue = String(word[word.index(after: equals)...])
        word = String(word[..<equals])
      }
      let span = lexer.span(start, word.utf8.count)
      func value() throws(Diagnostic) -> (ArgumentValue, SourceSpan) {
        if let inlineValue, !inlineValue.isEmpty {
          return (
            .word(inlineValue, Parser.classify(inlineValue)), lexer.span(start + word.utf8.count + 1, inlineValue.utf8.count)
          )
        }
        lexer.skipBlanks()
        let valueStart = lexer.position
        if let term = try parseTermIfPresent() { return (.expression(term), term.span) }
        let text = lexer.current == 0x7B ? "" : readWord()
        guard !text.isEmpty else { throw Diagnostic("`\(word)` needs a value", at: span) }
        return (.word(text, Parser.classify(text)), lexer.span(valueStart, text.utf8.count))
      }
      switch word {
      case "--jobs":
        let (jobs, valueSpan) = try value()
        loop.jobs = (jobs, valueSpan)
      case "--label":
        guard case (.expression(let filter), _) = try value() else {
          throw Diagnostic("write the label as a filter in parentheses: --label (.name)", at: span)
        }
        loop.label = filter
      case "--no-label":
        loop.unlabelled = true
      default:
        throw Diagnostic("`parallel for` takes --jobs N, --label (FILTER) or --no-label, not `\(word)`", at: span)
      }
    }
  }

  private mutating func parseWhile(_ start: SourceSpan) throws(Diagnostic) -> Statement {
    let condition = try makeExpression(try scanTokens(stopAtBlock: true), after: start)
    loopDepth += 1
    defer { loopDepth -= 1 }
    let body = try parseBlock(after: "the condition")
    return Statement(kind: .loop(condition: condition, body: body), span: spanned(from: start))
  }

  private mutating func parseTry(_ start: SourceSpan) throws(Diagnostic) -> Statement {
    let body = try parseBlock(after: "`try`")
    guard peekContinuation(["catch"]) != nil else {
      throw Diagnostic("expected `catch` after the `try` block", at: lexer.span(lexer.position, 0))
    }
    var name: String?
    lexer.skipBlanks()
    if lexer.current != 0x7B {
      let (errorName, span) = try parseVariableName(role: "a name for the error after `catch`")
      try declare(errorName, at: span)
      name = errorName
    }
    let handler = try parseBlock(after: "`catch`")
    return Statement(kind: .attempt(body: body, errorName: name, handler: handler), span: spanned(from: start))
  }

  private mutating func parseFunction(_ start: SourceSpan) throws(Diagnostic) -> Statement {
    let nameToken = try lexer.nextToken()
    let nameSpan = lexer.span(nameToken.offset, max(nameToken.length, 1))
    guard nameToken.kind == .identifier, !Token.jqKeywords.contains(nameToken.text) else {
      throw Diagnostic("expected a name after `fn`", at: nameSpan)
    }
    if Parser.statementKeywords.contains(nameToken.text) || JQBuiltinNames.all.contains(nameToken.text) {
      throw Diagnostic("`\(nameToken.text)` is reserved (an mpg keyword or a jq builtin); choose another name", at: nameSpan)
    }
    if builtins.contains(nameToken.text) {
      throw Diagnostic("`\(nameToken.text)` is a builtin command; choose another name", at: nameSpan)
    }
    var parameters: [String] = []
    while true {
      lexer.skipBlanks()
      if lexer.current == 0x7B || lexer.current == nil || lexer.current == 0x0A { break }
      let (parameter, span) = try parseVariableName(role: "a parameter name or `{`")
      if parameters.contains(parameter) { throw Diagnostic("parameter `\(parameter)` is listed twice", at: span) }
      parameters.append(parameter)
    }
    boundNames.formUnion(parameters)
    definedFunctions.insert(nameToken.text)
    let savedLoops = loopDepth
    let (savedReadOnly, savedInParallel) = (readOnlyNames, inParallelBody)
    loopDepth = 0
    functionDepth += 1
    // A fn's variables are its own, even when it is defined inside a `parallel for`.
    scopes.append(Set(parameters))
    (readOnlyNames, inParallelBody) = (nil, false)
    defer {
      loopDepth = savedLoops
      functionDepth -= 1
      scopes.removeLast()
      (readOnlyNames, inParallelBody) = (savedReadOnly, savedInParallel)
    }
    let body = try parseBlock(after: "the parameters")
    let definition = FunctionDefinition(name: nameToken.text, parameters: parameters, body: body, span: spanned(from: start))
    return Statement(kind: .function(definition), span: definition.span)
  }

  private mutating func parseReturn(_ start: SourceSpan) throws(Diagnostic) -> Statement {
    guard functionDepth > 0 else { throw Diagnostic("`return` outside a fn", at: start) }
    guard !inParallelBody else {
      throw Diagnostic(
        "`return` cannot leave a `parallel for` while other iterations run; `continue` ends this iteration", at: start)
    }
    lexer.skipBlanks()
    if atStatementEnd {
      return Statement(kind: .returnValue(nil), span: start)
    }
    let value = try parsePipeline()
    return Statement(kind: .returnValue(value), span: spanned(from: start))
  }

  private mutating func parseSource(_ start: SourceSpan) throws(Diagnostic) -> Statement {
    guard let argument = try parseOptionalArgument() else {
      throw Diagnostic("`source` needs a file to run", at: start)
    }
    if case .positional(let value) = argument.kind {
      switch value {
      case .word(let path, _):
        staticSources.append((path, argument.span))
      case .expression(let expression) where expression.references.isEmpty:
        if let path = expression.native?.evaluate(input: .null, variables: { _ in nil })?.stringValue {
          staticSources.append((path, argument.span))
        }
      default:
        break
      }
    }
    return Statement(kind: .source(argument), span: spanned(from: start))
  }

  /// `assert EXPR [MESSAGE]`: a trailing string right after a complete expression is the message.
  private mutating func parseAssert(_ start: SourceSpan) throws(Diagnostic) -> Statement {
    var tokens = try scanTokens(stopAtBlock: false)
    var message: Expression?
    if tokens.count >= 2, let last = tokens.last, last.kind == .string, tokens[tokens.count - 2].canEndExpression {
      tokens.removeLast()
      message = try makeExpression([last], after: start)
    }
    let condition = try makeExpression(tokens, after: start)
    return Statement(kind: .assertion(condition: condition, message: message), span: spanned(from: start))
  }

  // MARK: Pipelines and commands

  private mutating func parsePipeline() throws(Diagnostic) -> Pipeline {
    let save = lexer
    let first = try lexer.nextToken()
    if first.kind == .identifier, commandNames.contains(first.text), isWordBoundary {
      return .command(try parseCommand(first))
    }
    lexer = save
    return .expression(try parseExpression())
  }

  private mutating func parseCommand(_ name: Token) throws(Diagnostic) -> CommandInvocation {
    let nameSpan = lexer.span(name.offset, name.length)
    var arguments: [Argument] = []
    var filter: Expression?
    var optionsEnded = false
    var outputFormat: OutputFormat?
    while true {
      let afterLastArgument = lexer.position
      lexer.skipBlanks()
      guard let byte = lexer.current, byte != 0x0A, byte != 0x3B, byte != 0x7D else {
        // Step back over blanks and a trailing comment so the invocation's span ends at its last argument.
        lexer.position = afterLastArgument
        break
      }
      if byte == 0x7C {  // |
        let bar = lexer.span(lexer.position, 1)
        lexer.position += 1
        filter = try makeExpression(try scanTokens(stopAtBlock: false, continuingLine: true), after: bar)
        break
      }
      if !optionsEnded, let format = try parseOutputFormatIfPresent() {
        outputFormat = format
        continue
      }
      let argument = try parseArgument(optionsEnded: optionsEnded)
      if case .option(let name, nil) = argument.kind, name.isEmpty {
        optionsEnded = true  // `--` ends options
        continue
      }
      arguments.append(argument)
    }
    // `prompt NAME "question"` binds $NAME, as `let NAME = …` does.
    if name.text == "prompt", builtins.contains("prompt"), let first = arguments.first,
      case .positional(.word(let variable, _)) = first.kind
    {
      try declare(variable, at: first.span)
    }
    return CommandInvocation(
      name: name.text, nameSpan: nameSpan, arguments: arguments, filter: filter, span: spanned(from: nameSpan),
      outputFormat: outputFormat)
  }

  /// `-o FORMAT`, `--output FORMAT` or `--output=FORMAT`, which any command takes; `nil` (and nothing
  /// read) for any other argument.
  private mutating func parseOutputFormatIfPresent() throws(Diagnostic) -> OutputFormat? {
    let save = lexer
    let start = lexer.position
    let word = readWord()
    let value: String
    let valueSpan: SourceSpan
    if word == "-o" || word == "--output" {
      lexer.skipBlanks()
      let valueStart = lexer.position
      value = atStatementEnd ? "" : readWord()
      valueSpan = value.isEmpty ? lexer.span(start, word.utf8.count) : lexer.span(valueStart, value.utf8.count)
    } else if word.hasPrefix("--output=") {
      value = String(word.dropFirst("--output=".count))
      valueSpan = lexer.span(start + "--output=".utf8.count, max(1, value.utf8.count))
    } else {
      lexer = save
      return nil
    }
    guard let format = OutputFormat(rawValue: value) else {
      let shown = value.isEmpty ? "`\(word)` needs a format" : "`\(value)` is not an output format"
      throw Diagnostic("\(shown): \(OutputFormat.listed)", at: valueSpan)
    }
    return format
  }

  private mutating func parseOptionalArgument() throws(Diagnostic) -> Argument? {
    lexer.skipBlanks()
    if atStatementEnd { return nil }
    return try parseArgument(optionsEnded: true)
  }

  private var atStatementEnd: Bool {
    guard let byte = lexer.current else { return true }
    return byte == 0x0A || byte == 0x3B || byte == 0x7D
  }

  /// One argument: a jq term (`"…"`, `$x.path`, `( … )`, `[ … ]`, `{ … }`), an option, a field, or a bare word.
  private mutating func parseArgument(optionsEnded: Bool) throws(Diagnostic) -> Argument {
    let start = lexer.position
    if let term = try parseTermIfPresent() {
      return Argument(kind: .positional(.expression(term)), span: term.span)
    }
    let word = readWord()
    let wordSpan = lexer.span(start, lexer.position - start)
    if word.isEmpty {
      let token = try lexer.nextToken()
      throw Diagnostic("unexpected `\(token.text)` in the arguments", at: lexer.span(token.offset, max(1, token.length)))
    }
    if !optionsEnded, word.hasPrefix("--") {
      if word == "--" { return Argument(kind: .option(name: "", value: nil), span: wordSpan) }
      if let equals = word.firstIndex(of: "=") {
        let name = String(word[word.index(word.startIndex, offsetBy: 2)..<equals])
        let value = try parseValue(afterEquals: String(word[word.index(after: equals)...]))
        return Argument(kind: .option(name: name, value: value), span: spanned(from: wordSpan))
      }
      return Argument(kind: .option(name: String(word.dropFirst(2)), value: nil), span: wordSpan)
    }
    if let (key, isJSON, rest) = Parser.splitField(word) {
      let valueStart = lexer.position - rest.utf8.count
      let value: ArgumentValue
      if isJSON && rest.isEmpty && lexer.current.map({ !$0.isBlank }) == true {
        guard let term = try parseTermIfPresent() else {
          throw Diagnostic("expected a JSON value after `\(key):=`", at: wordSpan)
        }
        value = .expression(term)
      } else if isJSON {
        guard let json = try? JSONValue(parsing: rest) else {
          throw Diagnostic(
            "`\(rest)` is not JSON; quote a string as `\(key)=\(rest)` or write a jq term such as `\(key):=\"\(rest)\"`",
            at: lexer.span(valueStart, rest.utf8.count))
        }
        value = .word(rest, json)
      } else {
        value = try parseValue(afterEquals: rest)
      }
      return Argument(kind: .field(key: key, value: value, isJSON: isJSON), span: spanned(from: wordSpan))
    }
    return Argument(kind: .positional(.word(word, Parser.classify(word))), span: wordSpan)
  }

  /// The value after `=`: a term written right after it, or the rest of the word as a string.
  private mutating func parseValue(afterEquals rest: String) throws(Diagnostic) -> ArgumentValue {
    if rest.isEmpty, let term = try parseTermIfPresent() { return .expression(term) }
    return .word(rest, JSONValue(rest))
  }

  private mutating func parseTermIfPresent() throws(Diagnostic) -> Expression? {
    guard let byte = lexer.current else { return nil }
    let start = lexer.position
    var tokens: [Token]
    switch byte {
    case 0x22:  // "
      tokens = [try lexer.nextToken()]
    case 0x28, 0x5B, 0x7B:  // ( [ {
      tokens = try scanGroup()
    case 0x24 where lexer.byte(at: start + 1)?.isIdentifierStart == true:  // $name.path
      tokens = [try lexer.nextToken()]
      while let next = lexer.current {
        if next == 0x2E || next == 0x3F {  // . ?
          tokens.append(try lexer.nextToken())
          if tokens.last!.isSymbol("."), lexer.current == 0x22 { tokens.append(try lexer.nextToken()) }
        } else if next == 0x5B {
          tokens += try scanGroup()
        } else {
          break
        }
      }
    default:
      return nil
    }
    return try makeExpression(tokens, after: lexer.span(start, 0))
  }

  /// Tokens of one bracketed group, from its opener to the matching closer; newlines inside are fine.
  private mutating func scanGroup() throws(Diagnostic) -> [Token] {
    var tokens: [Token] = []
    var openers: [Token] = []
    repeat {
      let token = try lexer.nextToken()
      try track(token, openers: &openers)
      if token.kind != .newline { tokens.append(token) }
    } while !openers.isEmpty
    return tokens
  }

  /// Reads a bare word up to a blank or a character that ends it. A word that ends in `=` (a field
  /// or option) stops there when a term follows.
  private mutating func readWord() -> String {
    let start = lexer.position
    while let byte = lexer.current {
      if byte.isBlank || Parser.wordTerminators.contains(byte) { break }
      lexer.position += 1
      if byte == 0x3D, let next = lexer.current, Parser.termStarts.contains(next) { break }
    }
    return lexer.text(start..<lexer.position)
  }

  private static let wordTerminators: Set<UInt8> = Set(";|(){}[]\"".utf8)
  private static let termStarts: Set<UInt8> = Set("\"$([{".utf8)

  /// `key=rest` or `key:=rest` where key is a field name (letters, digits, `_`, `-`, `.`).
  static func splitField(_ word: String) -> (key: String, isJSON: Bool, rest: String)? {
    guard let equals = word.firstIndex(of: "=") else { return nil }
    var keyEnd = equals
    var isJSON = false
    if keyEnd > word.startIndex, word[word.index(before: keyEnd)] == ":" {
      keyEnd = word.index(before: keyEnd)
      isJSON = true
    }
    let key = word[..<keyEnd]
    guard let first = key.utf8.first, first.isIdentifierStart,
      key.utf8.allSatisfy({ $0.isIdentifierPart || $0 == 0x2D || $0 == 0x2E })
    else { return nil }
    return (String(key), isJSON, String(word[word.index(after: equals)...]))
  }

  /// A bare word is a string unless it is `true`, `false`, `null` or a JSON number.
  static func classify(_ word: String) -> JSONValue {
    switch word {
    case "true": return JSONValue(true)
    case "false": return JSONValue(false)
    case "null": return .null
    default:
      if JSONNumberSyntax.matches(word), let number = try? JSONValue(parsing: word) { return number }
      return JSONValue(word)
    }
  }

  // MARK: Expressions

  private mutating func parseExpression() throws(Diagnostic) -> Expression {
    let start = lexer.span(lexer.position, 0)
    return try makeExpression(try scanTokens(stopAtBlock: false), after: start)
  }

  /// Tokens of one expression, up to a newline, `;` or `}` at bracket depth 0 (or, for block headers,
  /// a `{` after a token that can end an expression). A newline after `|` or inside brackets continues.
  private mutating func scanTokens(stopAtBlock: Bool, continuingLine: Bool = false, stopAtOption: Bool = false) throws(Diagnostic)
    -> [Token]
  {
    var tokens: [Token] = []
    var openers: [Token] = []
    while true {
      if stopAtOption, openers.isEmpty, startsOption() { break }
      let save = lexer
      let token = try lexer.nextToken()
      if openers.isEmpty {
        if token.kind == .end { break }
        if token.kind == .newline {
          let continues = tokens.last?.isSymbol("|") ?? continuingLine
          if continues { continue }
          lexer = save
          break
        }
        if token.isSymbol(";") || token.isSymbol("}") {
          lexer = save
          break
        }
        if stopAtBlock, token.isSymbol("{"), tokens.last?.canEndExpression == true {
          lexer = save
          break
        }
      }
      if token.kind == .newline, let open = openers.last, startsMPGStatement() {
        // `let` and `fn` never appear inside jq, so an open bracket before one was never closed;
        // stopping here lets the following statements be checked too.
        lexer = save
        throw Parser.unclosed(open, in: lexer)
      }
      try track(token, openers: &openers)
      if token.kind != .newline { tokens.append(token) }
    }
    return tokens
  }

  /// Whether the next word is `--name` after a blank (jq has no `--`; `. - -1` spaces its minus signs).
  private func startsOption() -> Bool {
    var copy = lexer
    copy.skipBlanks()
    guard copy.position > lexer.position || lexer.position == 0 else { return false }
    return copy.current == 0x2D && copy.byte(at: copy.position + 1) == 0x2D
      && copy.byte(at: copy.position + 2)?.isIdentifierStart == true
  }

  /// Whether the next line starts with `let NAME` or `fn NAME`.
  private func startsMPGStatement() -> Bool {
    var copy = lexer
    guard let first = try? copy.nextToken(), first.isKeyword("let") || first.isKeyword("fn"),
      let second = try? copy.nextToken()
    else { return false }
    return second.kind == .identifier
  }

  private static let closers: [String: String] = ["(": ")", "[": "]", "{": "}"]

  static func unclosed(_ open: Token, in lexer: Lexer) -> Diagnostic {
    Diagnostic("this `\(open.text)` is never closed; expected `\(closers[open.text]!)`", at: lexer.span(open.offset, 1))
  }

  private func track(_ token: Token, openers: inout [Token]) throws(Diagnostic) {
    let span = lexer.span(token.offset, max(token.length, 1))
    if token.kind == .end, let open = openers.last {
      throw Parser.unclosed(open, in: lexer)
    }
    guard token.kind == .symbol else { return }
    if Parser.closers[token.text] != nil {
      openers.append(token)
    } else if [")", "]", "}"].contains(token.text) {
      guard let open = openers.last else {
        throw Diagnostic("unexpected `\(token.text)` with nothing open", at: span)
      }
      let expected = Parser.closers[open.text]!
      guard expected == token.text else {
        let openSpan = lexer.span(open.offset, 1)
        throw Diagnostic(
          "expected `\(expected)` to close the `\(open.text)` opened at \(openSpan.line):\(openSpan.column), found `\(token.text)`",
          at: span)
      }
      openers.removeLast()
    }
  }

  private mutating func makeExpression(_ tokens: [Token], after anchor: SourceSpan) throws(Diagnostic) -> Expression {
    guard let first = tokens.first, let last = tokens.last else {
      lexer.skipBlanks()
      // Nothing more on the line: point where the expression should start, not past a comment.
      var offset = lexer.position
      if lexer.current == nil || lexer.current == 0x0A {
        offset = anchor.offset + anchor.length
        while let byte = lexer.byte(at: offset), byte == 0x20 || byte == 0x09 { offset += 1 }
      }
      throw Diagnostic("expected an expression", at: lexer.span(offset, 0))
    }
    let span = lexer.span(first.offset, last.end - first.offset)
    let expression = Expression(
      span: span,
      text: lexer.text(first.offset..<last.end),
      analysis: ExpressionAnalysis(tokens: tokens, file: file),
      native: NativeExpressionParser.parse(tokens, file: file),
      nativeRange: NativeExpressionParser.parseRange(tokens, file: file),
      isElementwise: ElementwiseFilter.matches(tokens)
    )
    expressions.append(expression)
    return expression
  }

  // MARK: Small helpers

  private static let statementKeywords: Set<String> = [
    "let", "if", "elif", "else", "for", "in", "while", "break", "continue", "try", "catch", "fn", "return",
    "source", "assert", "exit", "parallel",
  ]

  /// Records that the statement being parsed binds `name` in the current scope; inside a `parallel
  /// for`, refuses a name of the code around it, which iterations share and must not change.
  private mutating func declare(_ name: String, at span: SourceSpan) throws(Diagnostic) {
    if let readOnlyNames, readOnlyNames.contains(name) {
      throw Diagnostic(
        "`\(name)` is bound outside this `parallel for`: iterations run at once, so they may read it but not bind it; choose a new name (what an iteration binds is its own)",
        at: span)
    }
    boundNames.insert(name)
    scopes[scopes.count - 1].insert(name)
  }

  private mutating func parseVariableName(role: String) throws(Diagnostic) -> (String, SourceSpan) {
    let token = try lexer.nextToken()
    let span = lexer.span(token.offset, max(token.length, 1))
    guard token.kind == .identifier else {
      let hint = token.kind == .variable ? " (write the name without `$`)" : ""
      throw Diagnostic("expected \(role)\(hint)", at: span)
    }
    if let reason = Parser.reservedVariableReason(token.text) {
      throw Diagnostic("`\(token.text)` cannot be a variable name: \(reason)", at: span)
    }
    return (token.text, span)
  }

  static func reservedVariableReason(_ name: String) -> String? {
    if Token.jqKeywords.contains(name) { return "it is a jq keyword" }
    if ExpressionAnalysis.jqVariables.contains(name) { return "jq defines `$\(name)`" }
    if name.hasPrefix("__mpg") { return "names starting with `__mpg` are mpg's own" }
    if name.contains("::") { return "it is a jq module path" }
    return nil
  }

  private mutating func parseBlock(after what: String) throws(Diagnostic) -> Block {
    let afterHeader = lexer.position
    lexer.skipBlanks()
    guard lexer.current == 0x7B else {
      // At the end of the line, point just after the header rather than past a trailing comment.
      let atLineEnd = lexer.current == nil || lexer.current == 0x0A
      throw Diagnostic("expected `{` after \(what)", at: atLineEnd ? lexer.span(afterHeader, 0) : lexer.span(lexer.position, 1))
    }
    let opener = lexer.span(lexer.position, 1)
    guard blockDepth < Parser.maximumBlockDepth else {
      throw Diagnostic(
        "blocks are nested more than \(Parser.maximumBlockDepth) levels deep; move the inner ones into a `fn`", at: opener)
    }
    blockDepth += 1
    defer { blockDepth -= 1 }
    lexer.position += 1
    let errorsBefore = diagnostics.count
    let block = parseStatements(closedBy: opener)
    if diagnostics.count > errorsBefore, lexer.isAtEnd {
      // The block never closed; its own error says so. Stop here instead of cascading.
      throw diagnostics.removeLast()
    }
    return block
  }

  /// After a block, `elif`/`else`/`catch` may follow on the same line or the next ones.
  private mutating func peekContinuation(_ words: [String]) -> SourceSpan? {
    let save = lexer
    lexer.skipBlanks(includingNewlines: true)
    if let token = try? lexer.nextToken(), token.kind == .identifier, words.contains(token.text),
      isWordBoundary || lexer.current == 0x7B
    {
      return lexer.span(token.offset, token.length)
    }
    lexer = save
    return nil
  }

  private func peekKeyword(_ word: String) -> Bool {
    var copy = lexer
    return (try? copy.nextToken())?.isKeyword(word) ?? false
  }

  private func peekSymbol(_ symbol: String) -> Bool {
    var copy = lexer
    return (try? copy.nextToken())?.isSymbol(symbol) ?? false
  }

  /// Whether the word just read ends at a blank, the end of the statement, a `|` or a comment.
  private var isWordBoundary: Bool {
    guard let byte = lexer.current else { return true }
    return byte.isBlank || byte == 0x3B || byte == 0x7C || byte == 0x7D || byte == 0x23
  }

  private func spanned(from start: SourceSpan) -> SourceSpan {
    var end = lexer.position
    while end > start.offset, let byte = lexer.byte(at: end - 1), byte.isBlank { end -= 1 }
    return lexer.span(start.offset, max(start.length, end - start.offset))
  }
}

/// JSON's number syntax, which decides whether a bare word is a number.
enum JSONNumberSyntax {
  static func matches(_ word: String) -> Bool {
    var bytes = word.utf8[...]
    if bytes.first == 0x2D { bytes = bytes.dropFirst() }
    guard let first = bytes.first, first.isDigit else { return false }
    bytes = bytes.dropFirst()
    if first == 0x30, bytes.first?.isDigit == true { return false }
    bytes = bytes.drop { $0.isDigit }
    if bytes.first == 0x2E {
      bytes = bytes.dropFirst()
      guard bytes.first?.isDigit == true else { return false }
      bytes = bytes.drop { $0.isDigit }
    }
    if bytes.first == 0x65 || bytes.first == 0x45 {
      bytes = bytes.dropFirst()
      if bytes.first == 0x2B || bytes.first == 0x2D { bytes = bytes.dropFirst() }
      guard bytes.first?.isDigit == true else { return false }
      bytes = bytes.drop { $0.isDigit }
    }
    return bytes.isEmpty
  }
}
