import FileIO
import Interpreter
import JQ
import Outcomes

/// `save FILE VALUE`: writes pretty JSON atomically.
public struct SaveCommand: Command {
  public let name = "save"
  public let summary = "Write a value to a file as pretty JSON, atomically: readers never see half a file."
  public let usage = "save [--raw | --compact] FILE VALUE"
  public let examples = [
    "save service.json $svc", "save --raw notes.txt \"created \\($svc.id)\"", "save ids.json [$services[].id]",
  ]
  /// Printing or saving `null` is meant: `echo $x` shows it.
  public let acceptsNullArguments = true
  public let options = [
    CommandOption("raw", summary: "Write a string value as plain text rather than as a JSON string."),
    CommandOption("compact", summary: "Write JSON on one line."),
  ]

  /// The command.
  public init() {}

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    try call.expectPositionals(2...2, usage: usage)
    let (target, value) = (call.positionals[0], call.positionals[1].value)
    var options = PrintOptions(indent: call.options["compact"] != nil ? 0 : 2)
    if call.options["raw"] != nil {
      guard value.kind == .string else {
        throw call.usageError("--raw writes strings; this value is \(value.kind.jqName)", at: call.positionals[1].span)
      }
      options.rawStrings = true
    }
    var text = value.dumped(options)
    if !options.rawStrings || !text.hasSuffix("\n") { text += "\n" }
    do {
      try FileText.writeAtomically(text, to: context.resolvePath(target.text))
    } catch {
      throw RuntimeError(kind: .io, message: error.message, at: target.span)
    }
    return nil
  }
}
