import JQ
import Outcomes

/// A command that a statement can run by name: a builtin (one type per file in Builtins) or, for
/// the API issues, a Cloud API call. Its declaration feeds `help`, completion and the docs.
public protocol Command: Sendable {
  /// The name users type.
  var name: String { get }
  /// One line saying what it does.
  var summary: String { get }
  /// The synopsis, e.g. `save FILE VALUE`.
  var usage: String { get }
  /// Runnable examples.
  var examples: [String] { get }
  /// A paragraph or two on what `usage` cannot show (how several services are waited for), for
  /// `help NAME` and the command reference; `nil` when the summary says it all.
  var details: String? { get }
  /// The options it accepts.
  var options: [CommandOption] { get }
  /// Words after which a positional argument is a jq filter the command runs itself, e.g. `until`
  /// in `wait REF until (.state == "running")`: it is compiled but not evaluated up front.
  var filterAfterWords: Set<String> { get }
  /// Whether a positional argument or field may be a term that evaluates to `null`. Commands that
  /// print or store values (`echo`, `save`) take one; for the rest, and above all for a request, a null
  /// there is a mistake (`$args[0]` that was never given), so the call fails before the command runs.
  var acceptsNullArguments: Bool { get }
  /// Whether a string it returns prints as its text rather than as a JSON string (`certs`: a PEM reads
  /// as a PEM), when printed as it is, without a filter or `-o`.
  var printsStringsRaw: Bool { get }
  /// Whether a positional term may produce any number of values (`wait $services[]`): they come as
  /// one positional, an array marked `isStream` (unless there was exactly one, which comes as itself).
  var takesStreamedPositionals: Bool { get }
  /// Runs with the evaluated arguments; the result (if any) is printed, bound or filtered.
  func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue?
}

extension Command {
  public var details: String? { nil }
  public var filterAfterWords: Set<String> { [] }
  public var acceptsNullArguments: Bool { false }
  public var printsStringsRaw: Bool { false }
  public var takesStreamedPositionals: Bool { false }
}

/// One `--option` a command accepts.
public struct CommandOption: Sendable {
  /// The name without dashes.
  public var name: String
  /// Whether it takes a value (`--since 1h`) or is a switch (`--yes`).
  public var takesValue: Bool
  /// One line for help.
  public var summary: String
  /// Whether its value is a jq filter the command runs itself (`--fail-if (.state == "failed")`).
  public var takesFilter: Bool

  /// An option with the given name, arity and summary.
  public init(_ name: String, takesValue: Bool = false, summary: String) {
    self.name = name
    self.takesValue = takesValue
    self.summary = summary
    self.takesFilter = false
  }

  /// An option whose value is a jq filter, compiled with the script and run by the command.
  public static func filter(_ name: String, summary: String) -> CommandOption {
    var option = CommandOption(name, takesValue: true, summary: summary)
    option.takesFilter = true
    return option
  }
}

/// Finds commands by name; the Builtins registry implements it.
public protocol CommandLookup: Sendable {
  /// The command called `name`, if there is one.
  func command(named name: String) -> (any Command)?
  /// Every command name, for the parser and completion.
  var commandNames: Set<String> { get }
  /// Commands this run knows of but cannot run, each with where it can (`vars`: at the interactive
  /// prompt), so calling one is explained rather than unknown.
  var unavailableCommands: [String: String] { get }
}

extension CommandLookup {
  public var unavailableCommands: [String: String] { [:] }
}

/// An evaluated argument with the place it was written.
public struct CallValue: @unchecked Sendable {
  /// The value.
  public var value: JSONValue
  /// Where it was written.
  public var span: SourceSpan
  /// The text as typed when it was a bare word, so `save 007.json` keeps its name.
  public var word: String?
  /// For a filter argument (see `Command.filterAfterWords`, `CommandOption.filter`): runs the
  /// filter on an input and returns every output; `value` is then `null`.
  public var filter: CallFilter?
  /// Whether `value` is an array collecting the outputs of a term that produced several (or none);
  /// see `Command.takesStreamedPositionals`.
  public var isStream = false

  /// A value written at `span`.
  public init(value: JSONValue, span: SourceSpan, word: String?, filter: CallFilter? = nil) {
    self.value = value
    self.span = span
    self.word = word
    self.filter = filter
  }

  /// The argument as text: a bare word as typed, a string's content, anything else as compact JSON.
  public var text: String {
    word ?? value.stringValue ?? value.description
  }
}

/// The evaluated arguments of one command invocation.
public struct CommandCall: @unchecked Sendable {
  /// The command name as typed.
  public var name: String
  /// The whole invocation.
  public var span: SourceSpan
  /// Positional arguments in order.
  public var positionals: [CallValue]
  /// Options by name; a switch has the value `true`.
  public var options: [String: CallValue]
  /// `key=value` and `key:=json` fields in order.
  public var fields: [(key: String, value: CallValue)]

  /// The fields as one object (later keys win), or `nil` when there are none.
  public var body: JSONValue? {
    fields.isEmpty ? nil : JSONValue(object: fields.map { ($0.key, $0.value.value) })
  }

  /// A usage error located at `span` (or at the whole invocation).
  public func usageError(_ message: String, at span: SourceSpan? = nil) -> RuntimeError {
    RuntimeError(kind: .usage, message: message, at: span ?? self.span, exitCode: ExitStatus.usageError)
  }

  /// Fails unless the number of positional arguments is within `range`.
  public func expectPositionals(_ range: ClosedRange<Int>, usage: String) throws(RuntimeError) {
    guard range.contains(positionals.count) else {
      let at = positionals.count > range.upperBound ? positionals[range.upperBound].span : span
      throw usageError("usage: \(usage)", at: at)
    }
  }
}

/// A jq filter passed to a command, runnable on any input with the script's variables as they are now.
public struct CallFilter: @unchecked Sendable {
  /// Every output of the filter for `input`; errors are located at the filter.
  public let outputs: (JSONValue) throws -> [JSONValue]
  /// The filter's text, for messages.
  public let text: String

  /// A filter with the given runner and text.
  public init(text: String, outputs: @escaping (JSONValue) throws -> [JSONValue]) {
    self.text = text
    self.outputs = outputs
  }
}
