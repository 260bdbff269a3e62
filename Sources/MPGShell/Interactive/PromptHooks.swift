import Builtins
import CloudAPI
import Interpreter
import JQ
import LineEditing

/// The interactive prompt's own commands (`history`, `vars`, `set`) and display, created before the
/// runner (they go into its registry) and tied to the session once it exists.
final class PromptHooks: @unchecked Sendable {
  let display = DisplayOutput()
  private var session: InteractiveSession?
  private var evaluator: Evaluator?
  let history = HistoryFile(path: StateDirectories.state() + "/history")
  /// `step on|off`.
  let stepper = StatementStepper()

  /// The commands to register.
  var commands: [any Command] {
    [
      HistoryCommand(file: history),
      VarsCommand(variables: { [weak self] in
        (self?.evaluator?.globalVariables ?? [:]).map { (name: $0.key, value: $0.value) }.sorted { $0.name < $1.name }
      }),
      SetCommand { [weak self] setting, value in
        guard let self else { return "no session" }
        return self.apply(setting, value)
      },
      RecordCommand { [weak self] in self?.session?.recorder },
      StepCommand(stepper: stepper),
    ]
  }

  /// Runs the prompt until Ctrl-D or `exit`.
  func run(runner: ScriptRunner, session apiSession: APISession, isLocal: Bool) async -> Int32 {
    evaluator = runner.evaluator
    let commands = runner.commands
    let interactive = InteractiveSession(
      runner: runner, session: apiSession, commands: commands, history: history, isLocal: isLocal)
    session = interactive
    // Lists and rows as tables at the prompt, unless --output chose another format.
    if display.mode == nil { display.mode = .table }
    display.pages = true
    return await interactive.run()
  }

  /// `set editing …` / `set output …`; a problem in words, or `nil`.
  func apply(_ setting: String, _ value: String) -> String? {
    switch setting {
    case "editing":
      guard let mode = EditingMode(rawValue: value) else { return "editing is emacs or vi" }
      session?.setEditing(mode)
    case "output":
      guard let mode = OutputFormat(rawValue: value) else { return "output is \(OutputFormat.listed)" }
      display.mode = mode
    default:
      return "the settings are editing and output"
    }
    return nil
  }
}
