import Interpreter
import JQ

/// `echo ARG…`: prints its arguments on one line.
public struct EchoCommand: Command {
  public let name = "echo"
  public let summary = "Print the arguments separated by spaces: strings as they are, other values as compact JSON."
  public let usage = "echo [ARG…]"
  public let examples = [#"echo "hello \($name)" $count"#, "echo state: $svc.state"]
  /// Printing or saving `null` is meant: `echo $x` shows it.
  public let acceptsNullArguments = true
  public let options: [CommandOption] = []

  /// The command.
  public init() {}

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    if let field = call.fields.first {
      throw call.usageError("echo prints values; `\(field.key)=…` is a field (quote it to print it)", at: field.value.span)
    }
    let words = call.positionals.map { $0.value.stringValue ?? $0.value.description }
    context.output.write(words.joined(separator: " ") + "\n")
    return nil
  }
}
