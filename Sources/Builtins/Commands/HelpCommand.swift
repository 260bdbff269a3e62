import Interpreter
import JQ
import PostgresAPISpec

/// `help [COMMAND]`: the commands by group, or one command's usage, options and examples. The text
/// comes from the commands' own declarations, as does docs/commands.md (`help --markdown`).
public struct HelpCommand: Command {
  public let name = "help"
  public let summary = "List the commands by group, or show one command's usage, options and examples."
  public let usage = "help [COMMAND] [--markdown]"
  public let examples = ["help", "help wait"]
  public let options = [CommandOption("markdown", summary: "Print the whole command reference as Markdown (docs/commands.md).")]
  let commands: [any Command]
  let groups: [(title: String, names: [String])]

  /// Help over `commands`, listed in `groups` (commands in no group are listed last).
  public init(commands: [any Command], groups: [(title: String, names: [String])]) {
    self.commands = commands
    self.groups = groups
  }

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    try call.expectPositionals(0...1, usage: usage)
    let all = commands + [self]
    if call.options["markdown"] != nil {
      context.output.write(markdown(all))
      return nil
    }
    if let argument = call.positionals.first {
      guard let command = all.first(where: { $0.name == argument.text }) else {
        let names = all.map(\.name)
        var message = "there is no command `\(argument.text)`"
        if let suggestion = Suggestion.closest(to: argument.text, among: names) { message += "; did you mean `\(suggestion)`?" }
        throw RuntimeError(kind: "usage", message: message + " (`help` lists them)", at: argument.span, exitCode: 2)
      }
      context.output.write(detail(command))
      return nil
    }
    context.output.write(overview(all))
    return nil
  }

  private func grouped(_ all: [any Command]) -> [(String, [any Command])] {
    var seen = Set<String>()
    var result: [(String, [any Command])] = []
    for group in groups {
      let members = group.names.compactMap { name in all.first { $0.name == name } }
      members.forEach { seen.insert($0.name) }
      if !members.isEmpty { result.append((group.title, members)) }
    }
    let rest = all.filter { !seen.contains($0.name) }
    if !rest.isEmpty { result.append(("Other", rest)) }
    return result
  }

  private func overview(_ all: [any Command]) -> String {
    let width = (all.map(\.name.count).max() ?? 8) + 2
    var text = ""
    for (title, members) in grouped(all) {
      text += "\(title):\n"
      for command in members {
        text += "  " + command.name + String(repeating: " ", count: max(1, width - command.name.count)) + command.summary + "\n"
      }
      text += "\n"
    }
    return text + "Statements, expressions and control flow: docs/language.md. `help COMMAND` shows one command.\n"
  }

  private func detail(_ command: any Command) -> String {
    var text = "\(command.usage)\n\n\(command.summary)\n"
    if !command.options.isEmpty {
      text += "\nOptions:\n"
      let labels = command.options.map { "--\($0.name)" + ($0.takesFilter ? " (FILTER)" : $0.takesValue ? " VALUE" : "") }
      let width = (labels.map(\.count).max() ?? 0) + 2
      for (label, option) in zip(labels, command.options) {
        text += "  " + label + String(repeating: " ", count: width - label.count) + option.summary + "\n"
      }
    }
    if !command.examples.isEmpty {
      text += "\nExamples:\n" + command.examples.map { "  \($0)\n" }.joined()
    }
    return text
  }

  private func markdown(_ all: [any Command]) -> String {
    var text = "# Command reference\n\nGenerated from the commands' declarations by `scripts/gen-command-docs`; `help COMMAND` shows the same at the prompt.\n"
    for (title, members) in grouped(all) {
      text += "\n## \(title)\n"
      for command in members {
        text += "\n### `\(command.name)`\n\n\(command.summary)\n\n```\n\(command.usage)\n```\n"
        if !command.options.isEmpty {
          text += "\n| option | meaning |\n|---|---|\n"
          for option in command.options {
            let label = "--\(option.name)" + (option.takesFilter ? " (FILTER)" : option.takesValue ? " VALUE" : "")
            text += "| `\(label)` | \(option.summary.replacingAll("|", with: "\\|")) |\n"
          }
        }
        if !command.examples.isEmpty {
          text += "\nExamples:\n\n```\n" + command.examples.joined(separator: "\n") + "\n```\n"
        }
      }
    }
    return text
  }
}
