import Builtins
import Interpreter

/// mpg's manual pages in man(7) markup, written from the declarations `--help` and `help` print:
/// `mpg(1)` from the command-line tree and `ProcessReference`, `mpg-language(7)` from the statements,
/// topics and commands `help` knows. `scripts/package` installs what `mpg help --man PAGE` prints.
enum ManualPage: String, CaseIterable {
  case mpg = "mpg"
  case language = "mpg-language"

  /// The manual section the page belongs to.
  var section: Int { self == .mpg ? 1 : 7 }

  /// The file name a package installs it as (before compression).
  var fileName: String { "\(rawValue).\(section)" }

  /// The page's markup.
  var text: String {
    switch self {
    case .mpg: Self.commandPage(CommandLineModel.shared)
    case .language: Self.languagePage(Self.allCommands)
    }
  }

  /// Every command `help` lists, the prompt's own included.
  static var allCommands: [any Command] {
    let session = Invocation().makeSession(local: nil)
    let host = HostCommands(
      prompt: PromptCommand(interactive: false, secrets: session.secrets), interactive: PromptHooks().commands,
      isInteractive: true)
    return BuiltinRegistry.withAPI(session: session, host: host).commands
  }

  private static func header(_ name: String, section: Int, summary: String) -> String {
    ".TH \(name.uppercased()) \(section) \"\" \"mpg \(MPGVersion.current)\" \"mpg manual\"\n.SH NAME\n\(name) \\- \(escaped(summary))\n"
  }

  private static func commandPage(_ model: CommandLineModel) -> String {
    let root = model.root
    var text = header("mpg", section: 1, summary: root.summary)
    text += ".SH SYNOPSIS\n"
    for line in [
      "\\fBmpg\\fR [\\fIoptions\\fR] [\\fIfile\\fR [\\fIarg\\fR ...]]", "\\fBmpg\\fR [\\fIoptions\\fR] \\fB\\-c\\fR \\fIcode\\fR",
    ]
      + root.subcommands.map({
        "\\fB\(escaped($0.commandLine))\\fR" + ($0.subcommands.isEmpty ? positionalsSynopsis($0) : " \\fIsubcommand\\fR ...")
      })
    {
      text += line + "\n.br\n"
    }
    text += ".SH DESCRIPTION\n" + paragraphs(root.discussion)
    text +=
      ".PP\nThe language, its statements and its commands are described in \\fBmpg-language\\fR(7) and by \\fBhelp\\fR inside mpg.\n"
    text += ".SH OPTIONS\n" + options(root.options)
    text += ".SH COMMANDS\n"
    for node in root.subcommands.flatMap(\.allNodes) {
      text += ".SS \"\(escaped(node.commandLine))\(positionalsSynopsis(node))\"\n" + paragraphs(node.summary)
      if !node.discussion.isEmpty { text += paragraphs(node.discussion) }
      for positional in node.positionals where !positional.summary.isEmpty {
        text += ".TP\n\\fI\(escaped(positional.valueName))\\fR\n\(escaped(positional.summary))\n"
      }
      // Every subcommand takes --help; saying so under each one is noise.
      text += options(node.options.filter { $0.names != ["--help", "-h"] })
    }
    text += ".SH ENVIRONMENT\n"
    for variable in ProcessReference.variables {
      text += ".TP\n.B \(variable.name)\n\(escaped(variable.meaning))\n"
    }
    text += ".SH FILES\n"
    for file in ProcessReference.files {
      text += ".TP\n.I \(escaped(file.path))\nMode \(file.mode). \(escaped(file.meaning))\n"
    }
    text += ".SH EXIT STATUS\n"
    for status in ProcessReference.statuses {
      text += ".TP\n.B \(status.code)\n\(escaped(status.meaning))\n"
    }
    text += ".SH SEE ALSO\n\\fBmpg-language\\fR(7), \\fBjq\\fR(1), \\fBpsql\\fR(1)\n"
    return text
  }

  private static func languagePage(_ commands: [any Command]) -> String {
    var text = header("mpg-language", section: 7, summary: "the language of mpg scripts and prompt, and its commands")
    text += ".SH DESCRIPTION\n"
    text += paragraphs(
      """
      An mpg script is a sequence of statements and commands, one per line or separated by `;`. Expressions \
      are jq: conditions, filters after `|`, object bodies and string interpolation, and every mpg variable \
      is visible to jq as `$name`. Commands send requests to the Managed Postgres API and bind their answers \
      to variables with `let`. The same text is shown inside mpg by `help NAME`.
      """)
    text += ".SH STATEMENTS\n"
    for topic in HelpTopics.all where topic.kind == .statement {
      text += ".SS \(topic.name)\n\(escaped(topic.summary))\n" + preformatted(topic.text)
    }
    text += ".SH COMMANDS\n"
    for command in commands {
      text += ".SS \(command.name)\n\(escaped(command.summary))\n" + preformatted(command.usage)
      for option in command.options {
        let value = option.takesFilter ? " \\fIfilter\\fR" : option.takesValue ? " \\fIvalue\\fR" : ""
        text += ".TP\n\\fB\\-\\-\(escaped(option.name))\\fR\(value)\n\(escaped(option.summary))\n"
      }
      if !command.examples.isEmpty { text += ".PP\nExamples:\n" + preformatted(command.examples.joined(separator: "\n")) }
    }
    text += ".SH TOPICS\n"
    for topic in HelpTopics.all where topic.kind == .topic {
      text += ".SS \(topic.name)\n\(escaped(topic.summary))\n" + preformatted(topic.text)
    }
    text += ".SH SEE ALSO\n\\fBmpg\\fR(1), \\fBjq\\fR(1)\n"
    return text
  }

  private static func positionalsSynopsis(_ node: CommandLineModel.Node) -> String {
    node.positionals.map { positional in
      let name = "\\fI\(escaped(positional.valueName))\\fR" + (positional.isRepeating ? " ..." : "")
      return positional.isOptional ? " [\(name)]" : " \(name)"
    }.joined()
  }

  private static func options(_ options: [CommandLineModel.Option]) -> String {
    options.map { option in
      let names = option.names.map { "\\fB\(escaped($0))\\fR" }.joined(separator: ", ")
      let value = option.valueName.map { " \\fI\(escaped($0))\\fR" } ?? ""
      let defaultValue = option.defaultValue.map { " (default: \(escaped($0)))" } ?? ""
      return ".TP\n\(names)\(value)\n\(escaped(option.summary))\(defaultValue)\n"
    }.joined()
  }

  /// Text whose blank lines separate paragraphs.
  private static func paragraphs(_ text: String) -> String {
    text.split(separator: "\n\n").map { ".PP\n" + escaped($0.split(separator: "\n").joined(separator: " ")) + "\n" }.joined()
  }

  /// Text shown as it is laid out (help pages and examples), indented.
  private static func preformatted(_ text: String) -> String {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
      line.isEmpty ? ".sp" : "\\&" + escaped(String(line))
    }
    return ".PP\n.RS 4\n.nf\n" + lines.joined(separator: "\n") + "\n.fi\n.RE\n"
  }

  /// `text` with the characters man(7) reads as markup escaped; a line that would start with `.` or
  /// `'` is made plain text.
  static func escaped(_ text: some StringProtocol) -> String {
    var result = ""
    for character in text {
      switch character {
      case "\\": result += "\\e"
      case "-": result += "\\-"
      case _ where !character.isASCII:
        // groff reads ASCII: other characters by their code point (`\[u2014]` is an em dash).
        for scalar in character.unicodeScalars {
          result += "\\[u" + String(String(scalar.value, radix: 16, uppercase: true).reversed()).padding(4) + "]"
        }
      default: result.append(character)
      }
    }
    if result.hasPrefix(".") || result.hasPrefix("'") { result = "\\&" + result }
    return result
  }
}

extension String {
  /// This (reversed) hexadecimal number padded with zeros to `width` digits, reversed back.
  fileprivate func padding(_ width: Int) -> String {
    String((self + String(repeating: "0", count: Swift.max(0, width - count))).reversed())
  }
}
