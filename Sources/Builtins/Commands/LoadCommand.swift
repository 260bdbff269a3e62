import FileIO
import Interpreter
import JQ
import Outcomes

/// `load FILE`: reads JSON (or text) from a file.
public struct LoadCommand: Command {
  public let name = "load"
  public let summary = "Read a JSON value from a file (`-` is standard input); --raw reads the text as a string."
  public let usage = "load [--raw | --slurp] FILE"
  public let examples = ["let services = load services.json", "load --raw notes.txt", "load data.json | .[] | .id"]
  public let options = [
    CommandOption("raw", summary: "Return the file's text as one string instead of parsing JSON."),
    CommandOption("slurp", summary: "Collect every JSON value in the file into one array."),
  ]

  /// The command.
  public init() {}

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    try call.expectPositionals(1...1, usage: usage)
    let argument = call.positionals[0]
    let path = context.resolvePath(argument.text)
    if call.options["raw"] != nil {
      do {
        return JSONValue(try FileText.read(path))
      } catch {
        throw RuntimeError(kind: .io, message: error.message, at: argument.span)
      }
    }
    let values: [JSONValue]
    do {
      values =
        try path == "-"
        ? JSONValue.parseAll(try FileText.readBytes(path))
        : JSONValue.parseFile(atPath: path)
    } catch let error as JSONFileError {
      switch error {
      case .unreadable(_, let reason):
        throw RuntimeError(kind: .io, message: "cannot read \(argument.text): \(reason)", at: argument.span)
      case .invalidJSON(_, let parse):
        throw RuntimeError(kind: .io, message: "\(argument.text) is not valid JSON: \(parse.message)", at: argument.span)
      }
    } catch let error as JSONParseError {
      throw RuntimeError(kind: .io, message: "standard input is not valid JSON: \(error.message)", at: argument.span)
    } catch let error as FileText.Failure {
      throw RuntimeError(kind: .io, message: error.message, at: argument.span)
    }
    if call.options["slurp"] != nil { return JSONValue(array: values) }
    guard values.count == 1 else {
      let found = values.isEmpty ? "no JSON value" : "\(values.count) JSON values"
      throw RuntimeError(
        kind: .io, message: "\(argument.text) holds \(found); use `load --slurp` to read them as an array", at: argument.span)
    }
    return values[0]
  }
}
