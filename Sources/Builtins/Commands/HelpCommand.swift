import Interpreter
import JQ
import PostgresAPISpec
import Suggestions

/// `help [NAME]`: the commands by group, statements and topics, or one page. Command pages come from the
/// commands' own declarations, as does docs/commands.md (`help --markdown`); statements and topics from
/// `HelpTopics`.
public struct HelpCommand: Command {
  public let name = "help"
  public let summary = "List the commands, statements and topics, or show one: usage, options and examples."
  public let usage = "help [COMMAND | STATEMENT | TOPIC] [--markdown]"
  public let examples = ["help", "help wait", "help let", "help exit-codes"]
  public let options = [CommandOption("markdown", summary: "Print the whole command reference as Markdown (docs/commands.md).")]
  let commands: [any Command]
  /// Commands described here that run only at the interactive prompt, which this run is not.
  let promptOnly: [any Command]
  let groups: [(title: String, names: [String])]

  /// Help over `commands` and `promptOnly`, listed in `groups` (commands in no group are listed last).
  public init(commands: [any Command], promptOnly: [any Command] = [], groups: [(title: String, names: [String])]) {
    self.commands = commands
    self.promptOnly = promptOnly
    self.groups = groups
  }

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    try call.expectPositionals(0...1, usage: usage)
    let all = commands + promptOnly + [self]
    if call.options["markdown"] != nil {
      context.output.write(markdown(all))
      return nil
    }
    guard let argument = call.positionals.first else {
      context.output.write(overview(all))
      return nil
    }
    if let command = all.first(where: { $0.name == argument.text }) {
      context.output.write(detail(command))
    } else if let topic = HelpTopics.all.first(where: { $0.name == argument.text }) {
      context.output.write(topic.text.hasSuffix("\n") ? topic.text : topic.text + "\n")
    } else {
      throw call.usageError(Self.unknown(argument.text, commands: all.map(\.name)), at: argument.span)
    }
    return nil
  }

  /// `there is no command, statement or topic `lett`; did you mean the statement `let`?`: the nearest
  /// name of any kind, said with its kind, so a statement is never offered as a command.
  static func unknown(_ name: String, commands: [String]) -> String {
    var message = "there is no command, statement or topic `\(name)`"
    let kinds = Dictionary(commands.map { ($0, "command") } + HelpTopics.all.map { ($0.name, $0.kind.rawValue) }) { first, _ in
      first
    }
    if let suggestion = Suggestion.closest(to: name, among: commands + HelpTopics.all.map(\.name)), let kind = kinds[suggestion] {
      message += "; did you mean the \(kind) `\(suggestion)`?"
    }
    return message + " (`help` lists them)"
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
    for kind in [HelpTopic.Kind.statement, .topic] {
      text += kind == .statement ? "Statements:\n" : "Topics:\n"
      for topic in HelpTopics.all where topic.kind == kind {
        text += "  " + topic.name + String(repeating: " ", count: max(1, width - topic.name.count)) + topic.summary + "\n"
      }
      text += "\n"
    }
    return text + "`help NAME` shows one command, statement or topic; docs/language.md has the whole language.\n"
  }

  private func detail(_ command: any Command) -> String {
    var text = "\(command.usage)\n\n\(command.summary)\n"
    if promptOnly.contains(where: { $0.name == command.name }) {
      text += "\nOnly \(HostCommands.interactivePlace).\n"
    }
    if let details = command.details { text += "\n\(details)\n" }
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
    var text =
      "# Command reference\n\nGenerated from the commands' declarations by `scripts/gen-command-docs`; `help COMMAND` shows the same at the prompt.\n"
    for (title, members) in grouped(all) {
      text += "\n## \(title)\n"
      for command in members {
        text += "\n### `\(command.name)`\n\n\(command.summary)\n\n```\n\(command.usage)\n```\n"
        if let details = command.details { text += "\n\(details)\n" }
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
    return text + processMarkdown
  }

  /// The environment, files and exit statuses, from the tables mpg(1) is written from too.
  private var processMarkdown: String {
    func cell(_ text: String) -> String { text.replacingAll("|", with: "\\|") }
    var text = "\n## Environment\n\n| variable | meaning |\n|---|---|\n"
    for variable in ProcessReference.variables { text += "| `\(variable.name)` | \(cell(variable.meaning)) |\n" }
    text += "\n## Files mpg writes\n\n| path | mode | meaning |\n|---|---|---|\n"
    for file in ProcessReference.files { text += "| `\(file.path)` | \(file.mode) | \(cell(file.meaning)) |\n" }
    text += "\n## Exit status\n\n| code | meaning |\n|---|---|\n"
    for status in ProcessReference.statuses { text += "| \(status.code) | \(cell(status.meaning)) |\n" }
    return text
  }
}
