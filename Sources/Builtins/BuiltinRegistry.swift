// The Builtins target: one file per command plus this registry, which also places the commands the
// host program provides (`HostCommands`). It may import Interpreter and JQ; the Cloud API commands
// (`withAPI`) send through an APISession.
import Interpreter

/// Every builtin command, found by name. Help, completion and the command reference read it.
public struct BuiltinRegistry: CommandLookup {
  /// The commands in the order `help` lists them.
  public let commands: [any Command]
  private let byName: [String: any Command]

  /// A registry of the given commands; `promptOnly` are described by `help` but run only at the
  /// interactive prompt.
  public init(commands: [any Command], promptOnly: [any Command] = []) {
    self.commands = commands
    self.unavailableCommands = Dictionary(
      promptOnly.map { ($0.name, HostCommands.interactivePlace) },
      uniquingKeysWith: { first, _ in first })
    self.byName = Dictionary(commands.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
  }

  /// The language's own builtins.
  public static let standard = BuiltinRegistry(commands: [
    EchoCommand(),
    LoadCommand(),
    SaveCommand(),
    SleepCommand(),
  ])

  /// The builtins, every Cloud API command (sending through `session`) and the host's commands: the
  /// prompt's own only at the interactive prompt, though `help` describes them everywhere.
  public static func withAPI(session: APISession, host: HostCommands) -> BuiltinRegistry {
    let commands: [any Command] =
      standard.commands + [
        OrgsCommand(session: session),
        OrgCommand(session: session),
        ListCommand(name: "list", session: session),
        ListCommand(name: "ls", session: session),
        GetCommand(session: session),
        CreateCommand(session: session),
        PatchCommand(session: session),
        DeleteCommand(session: session),
        WaitCommand(session: session),
        ConnectCommand(session: session),
        SQLCommand(session: session),
        PasswordCommand(session: session),
        StateCommand("restart", summary: "Restart a service's PostgreSQL (running → restarting → running).", session: session),
        StateCommand("promote", summary: "Make a read replica an independent primary.", session: session),
        StateCommand("switchover", summary: "Swap a high-availability service with its standby.", session: session),
        ReplicaCommand(session: session),
        RestoreCommand(session: session),
        ConfigCommand(session: session),
        CertsCommand(session: session),
        MetricsCommand(session: session),
        PrometheusCommand(session: session),
        SlowQueriesCommand(session: session),
        LogsCommand(session: session),
        BackupsCommand(session: session),
        TagCommand(removing: false, session: session),
        TagCommand(removing: true, session: session),
        APICallCommand(session: session),
        CredentialsCommand(session: session),
        CurlCommandLine(session: session),
      ]
    let runnable = commands + [host.prompt] + (host.isInteractive ? host.interactive : [])
    let help = HelpCommand(commands: runnable, promptOnly: host.isInteractive ? [] : host.interactive, groups: helpGroups)
    return BuiltinRegistry(commands: runnable + [help], promptOnly: host.isInteractive ? [] : host.interactive)
  }

  /// How `help` and docs/commands.md group the commands.
  public static let helpGroups: [(title: String, names: [String])] = [
    ("Services", ["list", "ls", "get", "create", "patch", "delete", "wait"]),
    ("Databases", ["connect", "sql", "password", "credentials", "certs"]),
    ("Operations", ["restart", "promote", "switchover", "replica", "restore", "config", "tag", "untag"]),
    ("Observability", ["metrics", "prometheus", "slowqueries", "logs", "backups"]),
    ("Organizations and raw API", ["orgs", "org", "api", "curl"]),
    ("Language", ["echo", "load", "save", "sleep", "prompt", "help"]),
    ("At the prompt", ["history", "vars", "set", "record", "step"]),
  ]

  public func command(named name: String) -> (any Command)? {
    byName[name]
  }

  public var commandNames: Set<String> {
    Set(byName.keys)
  }

  /// The interactive prompt's own commands, in a run that is not the prompt.
  public let unavailableCommands: [String: String]
}
