import Builtins
import Interpreter
import JQ
import LineEditing

/// `history [N]`: the entries of the history file, newest last.
struct HistoryCommand: Command {
  let name = "history"
  let summary = "Show the history of entries typed at the prompt (entries with secrets are never saved)."
  let usage = "history [N]"
  let examples = ["history", "history 20"]
  let options: [CommandOption] = []
  let file: HistoryFile

  func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    try call.expectPositionals(0...1, usage: usage)
    var entries = file.load()
    if let count = call.positionals.first?.value.numberValue { entries = Array(entries.suffix(Int(count))) }
    let first = file.load().count - entries.count + 1
    for (offset, entry) in entries.enumerated() {
      context.output.write("\(String(first + offset).leftPadded(5))  \(entry.replacingAll("\n", with: "\n       "))\n")
    }
    return nil
  }
}

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

extension String {
  func leftPadded(_ width: Int) -> String {
    count >= width ? self : String(repeating: " ", count: width - count) + self
  }
}
