// The Builtins target: one file per command plus this registry. It may import Interpreter and JQ;
// the Cloud API commands join it in a later issue.
import Interpreter

/// Every builtin command, found by name. Help, completion and the command reference read it.
public struct BuiltinRegistry: CommandLookup {
  /// The commands in the order `help` lists them.
  public let commands: [any Command]
  private let byName: [String: any Command]

  /// A registry of the given commands.
  public init(commands: [any Command]) {
    self.commands = commands
    self.byName = Dictionary(commands.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
  }

  /// The language's own builtins.
  public static let standard = BuiltinRegistry(commands: [
    EchoCommand(),
    LoadCommand(),
    SaveCommand(),
    SleepCommand(),
  ])

  public func command(named name: String) -> (any Command)? {
    byName[name]
  }

  public var commandNames: Set<String> {
    Set(byName.keys)
  }
}
