import ArgumentParser
import FileIO
import Interpreter
import JQ
import Outcomes

#if canImport(Glibc)
  import Glibc
#endif

/// The words people type as a first argument, as other tools take them: `mpg help [NAME]`, `mpg version`,
/// `mpg completion SHELL`. They win over a script file of the same name, which runs as `mpg ./help`.
enum WordCommand: String, CaseIterable {
  case help, version, completion

  /// Does what the word asks and exits.
  func run(_ rest: [String]) async -> Never {
    switch self {
    case .help:
      if rest.first == "--man" {
        // The manual pages packages install: `mpg help --man [mpg | mpg-language]`.
        guard rest.count <= 2, let page = ManualPage(rawValue: rest.count == 2 ? rest[1] : "mpg") else {
          Self.fail("usage: mpg help --man [\(ManualPage.allCases.map(\.rawValue).joined(separator: " | "))]")
        }
        print(page.text, terminator: "")
        Glibc.exit(0)
      }
      guard rest.count <= 1 else { Self.fail("usage: mpg help [COMMAND | STATEMENT | TOPIC]") }
      if let name = rest.first {
        // The same page `help NAME` shows inside mpg, from the same declarations.
        await MPG.run(Invocation(code: "help \(JSONValue(name).description)"))
      }
      print(MPG.helpMessage(columns: 100))
      print("Inside mpg (and as `mpg help NAME`):\n")
      await MPG.run(Invocation(code: "help"))
    case .version:
      guard rest.isEmpty else { Self.fail("usage: mpg version") }
      print("mpg \(MPGVersion.current)")
      Glibc.exit(0)
    case .completion:
      if rest.first == "candidates", rest.count >= 2, rest[1] == "--" {
        await Self.printCandidates(Array(rest.dropFirst(2)))
      }
      guard rest.count == 1, let shell = CompletionShell(rawValue: rest[0]) else {
        Self.fail("usage: mpg completion bash|zsh|fish (prints the script; e.g. source <(mpg completion bash))")
      }
      print(CompletionScript.text(for: shell), terminator: "")
      Glibc.exit(0)
    }
  }

  /// `mpg completion candidates -- WORD…`, which the completion scripts run: the answer's first line
  /// says which files fit (`files`, `files EXT…`, `dirs`, or `-` for none), then the words that fit.
  private static func printCandidates(_ words: [String]) async -> Never {
    let answer = CompletionEngine(model: .shared).complete(words.isEmpty ? [""] : words)
    let files: String =
      switch answer.files {
      case .none: "-"
      case .directories: "dirs"
      case .files(let extensions): (["files"] + extensions).joined(separator: " ")
      }
    var text = files + "\n"
    for word in answer.words { text += word + "\n" }
    TextStream.standardOutput.write(text)
    TextStream.standardOutput.flush()
    if answer.wantsServices { await CompletionValues.printServices(typed: words.last ?? "", words: Array(words.dropLast())) }
    Glibc.exit(0)
  }

  private static func fail(_ message: String) -> Never {
    TextStream.standardError.write("mpg: error: \(message)\n")
    TextStream.standardError.flush()
    Glibc.exit(ExitStatus.usageError)
  }
}
