import ArgumentParser
import JQ

/// mpg's whole command line as one tree, read from the same declarations that `--help` prints: the
/// root `MPG`, `mpg emulator …` and `mpg profile …` as argument-parser describes them (its JSON dump),
/// and the first-word commands `help`, `version` and `completion`. The manual page and the completion
/// scripts are both written from this tree, so neither can forget an option `--help` shows.
struct CommandLineModel {
  /// One command: `mpg`, `mpg emulator serve`, `mpg completion`.
  struct Node {
    /// The words that reach it after `mpg` (empty for the root).
    var path: [String]
    var summary: String
    var discussion: String
    var options: [Option]
    var positionals: [Positional]
    var subcommands: [Node]

    /// `mpg emulator serve`.
    var commandLine: String { (["mpg"] + path).joined(separator: " ") }

    /// This node and every node below it, depth first.
    var allNodes: [Node] { [self] + subcommands.flatMap(\.allNodes) }
  }

  /// An option or flag.
  struct Option {
    /// Every spelling, long ones first: `--raw-output`, `-r`.
    var names: [String]
    /// The value's placeholder; nil for a flag.
    var valueName: String?
    var summary: String
    var defaultValue: String?
    var values: ValueCompletion?
  }

  /// A positional argument.
  struct Positional {
    var valueName: String
    var summary: String
    var isOptional: Bool
    var isRepeating: Bool
    var values: ValueCompletion?
  }

  /// What a value can be, for completion.
  enum ValueCompletion: Equatable {
    /// One of these words.
    case words([String])
    /// A file, with one of these extensions when any are given (directories are always offered).
    case files(extensions: [String])
    case directories
    /// The words `mpg completion values KIND` prints, asked at completion time.
    case dynamic(String)
  }

  /// The tree, built once.
  static let shared = CommandLineModel.build()

  let root: Node

  private static func build() -> CommandLineModel {
    var root = node(from: MPG._dumpHelp(), path: [])
    root.subcommands =
      [
        node(from: EmulatorCommand._dumpHelp(), path: ["emulator"]),
        node(from: ProfileCommand._dumpHelp(), path: ["profile"]),
      ] + WordCommand.allCases.map(\.node)
    return CommandLineModel(root: root)
  }

  private static func node(from dump: String, path: [String]) -> Node {
    guard let parsed = try? JSONValue(parsing: dump), let command = parsed["command"] else {
      preconditionFailure("argument-parser's dump of \(path) is not JSON")
    }
    return node(command, path: path)
  }

  private static func node(_ command: JSONValue, path: [String]) -> Node {
    var node = Node(
      path: path, summary: command["abstract"]?.stringValue ?? "", discussion: command["discussion"]?.stringValue ?? "",
      options: [], positionals: [], subcommands: [])
    for argument in command["arguments"]?.arrayElements ?? [] where argument["shouldDisplay"]?.boolValue != false {
      let summary = argument["abstract"]?.stringValue ?? ""
      let values = completion(argument["completionKind"])
      if argument["kind"]?.stringValue == "positional" {
        node.positionals.append(
          Positional(
            valueName: argument["valueName"]?.stringValue ?? "arg", summary: summary,
            isOptional: argument["isOptional"]?.boolValue ?? false, isRepeating: argument["isRepeating"]?.boolValue ?? false,
            values: values))
        continue
      }
      let names = (argument["names"]?.arrayElements ?? []).compactMap { name -> String? in
        guard let text = name["name"]?.stringValue else { return nil }
        return (name["kind"]?.stringValue == "short" ? "-" : "--") + text
      }.sorted { $0.count > $1.count }
      guard !names.isEmpty, names != ["--version"] || path.isEmpty else { continue }
      let isFlag = argument["kind"]?.stringValue == "flag"
      // `--color` and `--no-color` are one declaration: one entry.
      if isFlag, let last = node.options.last, last.valueName == nil, last.summary == summary {
        node.options[node.options.count - 1].names += names
        continue
      }
      node.options.append(
        Option(
          names: names, valueName: isFlag ? nil : argument["valueName"]?.stringValue, summary: summary,
          defaultValue: isFlag ? nil : argument["defaultValue"]?.stringValue.map(portable), values: values))
    }
    for subcommand in command["subcommands"]?.arrayElements ?? [] {
      guard let name = subcommand["commandName"]?.stringValue, name != "help" else { continue }
      node.subcommands.append(Self.node(subcommand, path: path + [name]))
    }
    return node
  }

  /// A default as the reader should see it: the emulator's data directory under this user's home is
  /// written with the variable it comes from.
  private static func portable(_ defaultValue: String) -> String {
    defaultValue == EmulatorCommand.defaultDataDirectory ? "$XDG_DATA_HOME/mpg/emulator" : defaultValue
  }

  /// argument-parser's `completionKind`, as mpg's scripts use it.
  private static func completion(_ kind: JSONValue?) -> ValueCompletion? {
    guard let kind, let (name, detail) = kind.objectMembers?.first else { return nil }
    switch name {
    case "list": return .words(detail["values"]?.arrayElements?.compactMap(\.stringValue) ?? [])
    case "file": return .files(extensions: detail["extensions"]?.arrayElements?.compactMap(\.stringValue) ?? [])
    case "directory": return .directories
    case "shellCommand":
      // Declared as `.shellCommand("mpg completion values KIND")`: only the kind is kept.
      guard let command = detail["command"]?.stringValue, command.hasPrefix(CompletionValues.commandPrefix) else { return nil }
      return .dynamic(String(command.dropFirst(CompletionValues.commandPrefix.count)))
    default: return nil
    }
  }
}

extension WordCommand {
  /// The word as a node of the command-line tree (these words are read by hand, not by argument-parser).
  var node: CommandLineModel.Node {
    switch self {
    case .help:
      return CommandLineModel.Node(
        path: ["help"], summary: "Show mpg's options and the overview of commands, or one command, statement or topic.",
        discussion: "", options: [],
        positionals: [
          .init(
            valueName: "name", summary: "A command, statement or topic.", isOptional: true, isRepeating: false,
            values: .dynamic(CompletionValues.helpNames))
        ],
        subcommands: [])
    case .version:
      return CommandLineModel.Node(
        path: ["version"], summary: "Print mpg's version.", discussion: "", options: [], positionals: [], subcommands: [])
    case .completion:
      return CommandLineModel.Node(
        path: ["completion"], summary: "Print the completion script for a shell, e.g. source <(mpg completion bash).",
        discussion: "", options: [],
        positionals: [
          .init(
            valueName: "shell", summary: "bash, zsh or fish.", isOptional: false, isRepeating: false,
            values: .words(CompletionShell.allCases.map(\.rawValue)))
        ],
        subcommands: [])
    }
  }
}
