import Builtins
import FileIO
import Interpreter
import JQ
import Outcomes

/// `record FILE` / `record stop`.
struct RecordCommand: Command {
  let name = "record"
  let summary = "Write every entry that succeeds to a runbook file (secrets left out), until `record stop`."
  let usage = "record FILE [--markdown] | record stop"
  let examples = ["record setup.mpg", "record notes.md --markdown", "record stop"]
  let options = [
    CommandOption("markdown", summary: "Write a transcript for notes (each entry and its masked output) instead of a runbook.")
  ]
  let recorder: @Sendable () -> SessionRecorder?

  func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    try call.expectPositionals(1...1, usage: usage)
    guard let recorder = recorder() else { return nil }
    let argument = call.positionals[0]
    if argument.word == "stop" {
      guard let path = recorder.stop() else { throw call.usageError("nothing is being recorded", at: argument.span) }
      context.output.writeError("recorded \(path)\n")
      return nil
    }
    do {
      try recorder.start(context.resolvePath(argument.text), markdown: call.options["markdown"] != nil)
    } catch {
      throw RuntimeError(kind: .io, message: error.message, at: argument.span)
    }
    context.output.writeError("recording to \(argument.text); `record stop` ends it\n")
    return nil
  }
}
