import Builtins
import CloudAPI
import FileIO
import Interpreter
import JQ

#if canImport(Glibc)
  import Glibc
#endif

/// The values completion looks up when the shell asks (`mpg completion candidates`), rather than
/// writing them into the script: saved profiles, the names `help` knows, and the services of the API
/// at hand. Declarations name them as `completion: .shellCommand(CompletionValues.command(KIND))`.
enum CompletionValues {
  /// How a declaration names a kind; only the kind is kept from it.
  static let commandPrefix = "mpg completion values "
  static let profiles = "profiles"
  static let helpNames = "help"
  static let services = "services"

  /// The declaration for `kind`.
  static func command(_ kind: String) -> String { commandPrefix + kind }

  /// The longest a lookup of services may take: the shell waits for it.
  static let servicesDeadlineSeconds: UInt32 = 2

  /// The words of a kind that needs no network.
  static func words(_ kind: String) -> [String] {
    switch kind {
    case profiles: return (try? ProfileStore.standard().load().profiles.map(\.name)) ?? []
    case helpNames:
      let commands = ManualPage.allCommands.map(\.name)
      return commands + HelpTopics.all.map(\.name)
    default: return []
    }
  }

  /// Prints the names and ids of the services starting with `typed`, reached as `words` (the words
  /// typed after `mpg`) would reach them, then exits. Only an emulator already serving is asked
  /// under `--local` (Tab never starts one); without a key nothing is printed. The lookup is cut off
  /// after `servicesDeadlineSeconds`, and its errors are not shown.
  static func printServices(typed: String, words: [String]) async -> Never {
    func value(after option: String) -> String? {
      guard let index = words.firstIndex(of: option), index + 1 < words.count else { return nil }
      return words[index + 1]
    }
    var invocation = Invocation(code: "list | .[] | .name, .id | select(startswith($typed))")
    invocation.stringArguments = ["typed=\(typed)"]
    invocation.rawOutput = true
    invocation.rateLimit = "off"
    invocation.profile = value(after: "--profile")
    invocation.endpoint = value(after: "--endpoint")
    invocation.organization = value(after: "--org")
    if words.contains("--local") {
      guard let serving = LocalTarget.servingEmulator(EmulatorCommand.defaultDataDirectory) else { Glibc.exit(0) }
      invocation.endpoint = serving.endpoint.description
      invocation.keyID = serving.credentials.keyID
      invocation.keySecret = serving.credentials.keySecret
      invocation.organization = serving.organizationID
    }
    // A completion never shows an error in the middle of the user's command line.
    let null = open("/dev/null", O_WRONLY)
    if null >= 0 { dup2(null, 2) }
    alarm(servicesDeadlineSeconds)
    await MPG.run(invocation)
  }
}
