import Builtins
import Interpreter
import JQ
import Outcomes

/// `prompt NAME "question" [--secret]`: binds $NAME to an answer typed at the terminal (hidden for a
/// secret, which is then masked wherever mpg prints it, and never reaches the history). A $NAME already
/// bound (`--arg NAME VALUE`) is kept without asking, so one runbook serves people and pipelines; where
/// nobody can be asked, it fails and says how to pass the value.
struct PromptCommand: Command {
  let name = "prompt"
  let summary = "Ask for a value at the terminal and bind it to $NAME (--secret hides and masks it); --arg NAME sets it ahead."
  let usage = #"prompt NAME "question" [--secret]"#
  let examples = [#"prompt name "Service name?""#, #"prompt password "New password?" --secret"#]
  let options = [CommandOption("secret", summary: "Do not echo the answer; mask it wherever it is printed.")]
  /// Whether a person can be asked (standard input and error are a terminal).
  let interactive: Bool
  /// The secrets masked in output.
  let secrets: SecretRegistry

  func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    try call.expectPositionals(2...2, usage: usage)
    let variable = call.positionals[0].text
    guard variable.first.map({ $0.isLetter || $0 == "_" }) == true,
      variable.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" })
    else {
      throw call.usageError(
        "prompt binds a variable: write its name without $, as in prompt name \"Name?\"", at: call.positionals[0].span)
    }
    if let given = context.variable(variable), given.kind != .null { return nil }
    guard interactive else {
      throw RuntimeError(
        kind: .usage,
        message:
          "prompt \(variable): nobody can be asked here (standard input is not a terminal); pass it with --arg \(variable) VALUE",
        at: call.span, exitCode: ExitStatus.usageError)
    }
    let secret = call.options["secret"] != nil
    let question = call.positionals[1].value.stringValue ?? call.positionals[1].text
    context.output.writeError(question.hasSuffix(" ") ? question : question + " ")
    context.output.flush()
    let answer = secret ? Terminal.readHiddenLine() : readLine(strippingNewline: true)
    guard let answer else { throw ExitRequest(code: ExitStatus.cancelled) }
    if secret { secrets.register(answer) }
    context.setGlobal(variable, to: JSONValue(answer))
    return nil
  }
}
