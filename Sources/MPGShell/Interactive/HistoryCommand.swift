import Interpreter
import JQ

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
