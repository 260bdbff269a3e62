import Builtins
import Interpreter
import JQ

/// `vars`: the variables with a one-line preview, secrets masked.
struct VarsCommand: Command {
  let name = "vars"
  let summary = "List the variables with a one-line preview of each value (secrets masked)."
  let usage = "vars"
  let examples = ["vars"]
  let options: [CommandOption] = []
  let variables: @Sendable () -> [(name: String, value: JSONValue)]

  func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    try call.expectPositionals(0...0, usage: usage)
    let variables = self.variables()
    let width = (variables.map(\.name.count).max() ?? 0) + 2
    for (name, value) in variables {
      let preview = SecretMasking.masked(value).dumped(.compact)
      let short = preview.count > 70 ? String(preview.prefix(69)) + "…" : preview
      context.output.write("$" + name + String(repeating: " ", count: max(1, width - name.count)) + short + "\n")
    }
    return nil
  }
}
