import Interpreter

/// The commands the program hosting the language provides, because they need its terminal: `prompt`,
/// which scripts use too, and the interactive prompt's own (`history`, `vars`, `set`, `record`, `step`).
/// The registry places them: the prompt's own run only at the prompt, and `help` describes them
/// everywhere.
public struct HostCommands: Sendable {
  /// `prompt NAME "question"`.
  public var prompt: any Command
  /// The interactive prompt's own commands.
  public var interactive: [any Command]
  /// Whether this run is the interactive prompt, where `interactive` can run.
  public var isInteractive: Bool

  /// Where `interactive` run, as help and errors say it.
  public static let interactivePlace = "at the interactive prompt (`mpg` on a terminal, without a script or -c)"

  /// The host's commands.
  public init(prompt: any Command, interactive: [any Command], isInteractive: Bool) {
    self.prompt = prompt
    self.interactive = interactive
    self.isInteractive = isInteractive
  }
}
