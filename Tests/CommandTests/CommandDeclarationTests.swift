import Builtins
import Interpreter
import Testing

@testable import MPGShell

/// What commands declare about themselves agrees with their usage line, which people read.
struct CommandDeclarationTests {
  /// A command whose usage begins `NAME REF` (or `REF…`, `[REF]`) declares that its first argument is a
  /// service, and only those: the prompt completes service names and ids there from that declaration.
  @Test func serviceArgumentsAreDeclaredWhereTheUsageShowsThem() {
    let commands = ManualPage.allCommands
    #expect(commands.count > 30)
    for command in commands {
      let words = command.usage.split(separator: " ")
      let usageTakesService = words.count > 1 && ["REF", "REF…", "[REF]"].contains(String(words[1]))
      let declared = (command as? any APICommand)?.firstArgumentIsService ?? false
      #expect(declared == usageTakesService, "\(command.name): usage `\(command.usage)`")
    }
  }

  /// The prompt's own commands are in the reference, with the rest.
  @Test func everyCommandIsInTheReference() {
    let names = Set(ManualPage.allCommands.map(\.name))
    for name in ["history", "vars", "set", "record", "step", "prompt", "help", "list", "wait"] {
      #expect(names.contains(name), "\(name) is missing")
    }
  }
}
