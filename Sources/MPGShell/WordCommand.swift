import ArgumentParser
import FileIO
import Interpreter
import JQ

#if canImport(Glibc)
  import Glibc
#endif

/// The words people type as a first argument, as other tools take them: `mpg help [NAME]`, `mpg version`,
/// `mpg completion SHELL`. They win over a script file of the same name, which runs as `mpg ./help`.
enum WordCommand: String {
  case help, version, completion

  /// Does what the word asks and exits.
  func run(_ rest: [String]) async -> Never {
    switch self {
    case .help:
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
      guard rest.count == 1, let shell = CompletionShell(rawValue: rest[0]) else {
        Self.fail("usage: mpg completion bash|zsh|fish (prints the script; e.g. source <(mpg completion bash))")
      }
      print(MPG.completionScript(for: shell))
      Glibc.exit(0)
    }
  }

  private static func fail(_ message: String) -> Never {
    TextStream.standardError.write("mpg: error: \(message)\n")
    TextStream.standardError.flush()
    Glibc.exit(ExitStatus.usageError)
  }
}
