import JQ

/// A parsed script: its statements and the `fn`s it defines.
public final class Script {
  /// The source it was parsed from.
  public let file: SourceFile
  /// Top-level statements in order.
  let body: Block
  /// Names of the `fn`s it defines.
  public let functions: Set<String>

  init(file: SourceFile, body: Block, functions: Set<String>) {
    self.file = file
    self.body = body
    self.functions = functions
  }
}

/// A sequence of statements (a script body, or the inside of `{ … }`).
struct Block {
  var statements: [Statement]
}

/// One statement with the span it covers.
struct Statement {
  var kind: Kind
  var span: SourceSpan

  /// Whether `--echo` and `--step` show it: everything that does something when reached (a `fn`
  /// definition only names a body, which is shown as it runs).
  var isObservable: Bool {
    if case .function = kind { return false }
    return true
  }

  /// The command a `let NAME = COMMAND …` or a bare command statement calls.
  var commandName: String? { commandInvocation?.name }

  /// The call of a `let NAME = COMMAND …` or a bare command statement.
  var commandInvocation: CommandInvocation? {
    switch kind {
    case .bind(_, _, .command(let invocation)), .pipeline(.command(let invocation)): invocation
    default: nil
    }
  }

  indirect enum Kind {
    /// `let NAME = PIPELINE`
    case bind(name: String, nameSpan: SourceSpan, value: Pipeline)
    /// A pipeline whose outputs are printed.
    case pipeline(Pipeline)
    /// `if … { } elif … { } else { }`
    case conditional(branches: [(condition: Expression, body: Block)], otherwise: Block?)
    /// `for NAME in EXPR { }`
    case forEach(name: String, sequence: Expression, body: Block)
    /// `parallel for NAME in EXPR [--jobs N] [--label (FILTER) | --no-label] { }`
    case parallelForEach(ParallelLoop)
    /// `while EXPR { }`
    case loop(condition: Expression, body: Block)
    /// `break`
    case breakLoop
    /// `continue`
    case continueLoop
    /// `try { } catch NAME { }`
    case attempt(body: Block, errorName: String?, handler: Block)
    /// `fn NAME PARAM… { }`
    case function(FunctionDefinition)
    /// `return [PIPELINE]`
    case returnValue(Pipeline?)
    /// `source FILE`
    case source(Argument)
    /// `assert EXPR [MESSAGE]`
    case assertion(condition: Expression, message: Expression?)
    /// `exit [CODE]`
    case exit(Argument?)
  }
}

/// A user command declared with `fn`.
final class FunctionDefinition {
  let name: String
  let parameters: [String]
  let body: Block
  let span: SourceSpan

  init(name: String, parameters: [String], body: Block, span: SourceSpan) {
    self.name = name
    self.parameters = parameters
    self.body = body
    self.span = span
  }
}

/// Either a jq expression or a command whose result may be piped through a jq filter.
enum Pipeline {
  case expression(Expression)
  case command(CommandInvocation)

  var span: SourceSpan {
    switch self {
    case .expression(let expression): expression.span
    case .command(let invocation): invocation.span
    }
  }
}

/// `NAME ARG… [| FILTER]`
struct CommandInvocation {
  var name: String
  var nameSpan: SourceSpan
  var arguments: [Argument]
  var filter: Expression?
  var span: SourceSpan
  /// `-o FORMAT` / `--output FORMAT`: how this invocation's printed results look.
  var outputFormat: OutputFormat? = nil
}

/// One argument of a command as written.
struct Argument {
  enum Kind {
    /// A positional value.
    case positional(ArgumentValue)
    /// `key=value` (string field) or `key:=term` (JSON field).
    case field(key: String, value: ArgumentValue, isJSON: Bool)
    /// `--name`, `--name=value`; a following positional may become its value.
    case option(name: String, value: ArgumentValue?)
  }

  var kind: Kind
  var span: SourceSpan
}

/// The value part of an argument.
enum ArgumentValue {
  /// A bare word: a string, unless it reads as a number, `true`, `false` or `null`.
  case word(String, JSONValue)
  /// A jq term: `"…"`, `$name.path`, `( … )`, `[ … ]`, `{ … }`.
  case expression(Expression)
}

/// A jq expression in the source, with what the evaluator needs to run it fast.
final class Expression {
  /// Where it is written.
  let span: SourceSpan
  /// Its jq text.
  let text: String
  /// Variables it reads, in order of first appearance, with where each is first read.
  let references: [(name: String, span: SourceSpan)]
  /// Variables it binds itself (`as $x`), which may shadow mpg's.
  let locallyBound: Set<String>
  /// A native evaluator for simple expressions, when one applies.
  let native: NativeExpression?
  /// A native `range(…)`, when it is one.
  let nativeRange: NativeRange?
  /// Whether it is `.[]` or `.[] | …`, which a command can feed one slice of its array at a time.
  let isElementwise: Bool
  /// The variables mpg passes in, in the order the compiled program takes them (set when compiled).
  var parameters: [String] = []
  /// Where the compiled form lives once compiled.
  var compiled: (batch: ExpressionBatch, index: Int)?

  /// Whether it can run without jq (it still goes to jq, compiled on first use, for what the native
  /// forms leave to it, such as errors).
  var isNative: Bool { native != nil || nativeRange != nil }

  init(
    span: SourceSpan, text: String, analysis: ExpressionAnalysis, native: NativeExpression?, nativeRange: NativeRange? = nil,
    isElementwise: Bool = false
  ) {
    self.span = span
    self.text = text
    self.references = analysis.references
    self.locallyBound = analysis.locallyBound
    self.native = native
    self.nativeRange = nativeRange
    self.isElementwise = isElementwise
  }
}
