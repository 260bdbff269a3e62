import Interpreter
import JQ

/// `set editing emacs|vi`, `set output table|json|compact|raw`.
struct SetCommand: Command {
  let name = "set"
  let summary = "Change a setting of the session: key bindings (editing) or how results print (output)."
  let usage = "set editing emacs|vi | set output table|json|compact|raw"
  let examples = ["set editing vi", "set output compact"]
  let options: [CommandOption] = []
  let apply: @Sendable (_ setting: String, _ value: String) -> String?

  func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    try call.expectPositionals(2...2, usage: usage)
    if let problem = apply(call.positionals[0].text, call.positionals[1].text) {
      throw call.usageError(problem, at: call.positionals[1].span)
    }
    return nil
  }
}
