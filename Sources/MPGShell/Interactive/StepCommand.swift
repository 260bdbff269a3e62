import Interpreter
import JQ

/// `step on|off` at the prompt: stop before each statement of what runs next (a `source`d file, a
/// `fn`'s body) to show it and its requests, as `--step` does for a script.
struct StepCommand: Command {
  let name = "step"
  let summary = "Stop before each statement (of a sourced file or fn) to show it and its requests: step on|off."
  let usage = "step on|off"
  let examples = ["step on", "source runbook.mpg", "step off"]
  let options: [CommandOption] = []
  let stepper: StatementStepper

  func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    try call.expectPositionals(1...1, usage: usage)
    switch call.positionals[0].text {
    case "on": stepper.step = true
    case "off": stepper.step = false
    default: throw call.usageError("step takes on or off", at: call.positionals[0].span)
    }
    return nil
  }
}
