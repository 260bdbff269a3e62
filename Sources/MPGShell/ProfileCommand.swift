import ArgumentParser
import CloudAPI
import JQ
import Outcomes

/// `mpg profile list|show|set|remove|use`: saved API keys in `$XDG_CONFIG_HOME/mpg/config.toml`.
struct ProfileCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "mpg profile",
    abstract: "Manage saved API keys (profiles) in $XDG_CONFIG_HOME/mpg/config.toml (mode 0600).",
    discussion:
      "mpg uses --profile NAME, else MPG_PROFILE, else the default profile, when no key is given by flags or environment.",
    subcommands: [List.self, Show.self, Set.self, Remove.self, Use.self]
  )

  static var store: ProfileStore { .standard() }

  /// Runs `body`; a `SetupFailure` becomes its message on standard error and its exit code.
  static func reporting(_ body: () throws -> Void) throws {
    do {
      try body()
    } catch let failure as SetupFailure {
      TextStream.standardError.write("mpg: error: \(failure.message)\n")
      TextStream.standardError.flush()
      throw ExitCode(failure.exitCode)
    }
  }

  /// `mpg profile list`.
  struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the profiles; * marks the default.")

    func run() async throws {
      try ProfileCommand.reporting {
        let (profiles, defaultProfile) = try ProfileCommand.store.load()
        if profiles.isEmpty { print("no profiles in \(ProfileCommand.store.path); add one with `mpg profile set NAME`") }
        for profile in profiles {
          let mark = profile.name == defaultProfile ? "*" : " "
          let mode = profile.readOnly ? "\tread-only" : ""
          print(
            "\(mark) \(profile.name)\t\(profile.keyID ?? "(no key)")\t\(profile.organizationID ?? "")\t\(profile.endpoint ?? "")\(mode)"
          )
        }
      }
    }
  }

  /// `mpg profile show NAME`.
  struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show one profile (the secret masked).")
    @Argument(help: "The profile.", completion: .shellCommand(CompletionValues.command(CompletionValues.profiles))) var name:
      String

    func run() async throws {
      try ProfileCommand.reporting {
        guard let profile = try ProfileCommand.store.profile(named: name) else {
          throw SetupFailure("there is no profile `\(name)`", exitCode: ExitStatus.usageError)
        }
        let value = JSONValue(object: [
          ("name", JSONValue(profile.name)), ("keyId", profile.keyID.map { JSONValue($0) } ?? .null),
          ("keySecret", JSONValue(profile.keySecret == nil ? "(none)" : "********")),
          ("organizationId", profile.organizationID.map { JSONValue($0) } ?? .null),
          ("endpoint", profile.endpoint.map { JSONValue($0) } ?? .null), ("readOnly", JSONValue(profile.readOnly)),
        ])
        TextStream.standardOutput.writeLine(value, options: .pretty)
        TextStream.standardOutput.flush()
      }
    }
  }

  /// `mpg profile set NAME …`.
  struct Set: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Add or change a profile. The secret is read from standard input (one line) unless --key-secret is given, so it stays out of shell history."
    )
    @Argument(help: "The profile.", completion: .shellCommand(CompletionValues.command(CompletionValues.profiles))) var name:
      String
    @Option(name: .customLong("key-id"), help: "API key id.") var keyID: String?
    @Option(name: .customLong("key-secret"), help: "API key secret (default: read from standard input).") var keySecret: String?
    @Option(name: .customLong("org"), help: "Organization id.") var organization: String?
    @Option(help: "API base URL.") var endpoint: String?
    @Flag(help: "Make it the default profile.") var makeDefault = false
    @Flag(
      inversion: .prefixedNo,
      help: "Sessions that use this profile's key send only GET requests (unchanged when neither is given).")
    var readOnly: Bool?

    func validate() throws {
      if let endpoint, EndpointURL(endpoint) == nil { throw ValidationError("--endpoint takes https://HOST[:PORT]") }
    }

    func run() async throws {
      try ProfileCommand.reporting {
        var profile = try ProfileCommand.store.profile(named: name) ?? Profile(name: name)
        if let keyID { profile.keyID = keyID }
        if let keySecret {
          profile.keySecret = keySecret
        } else if keyID != nil {
          if Terminal.inputIsTerminal { TextStream.standardError.write("API key secret for \(name): ") }
          TextStream.standardError.flush()
          let secret = Terminal.inputIsTerminal ? Terminal.readHiddenLine() : readLine(strippingNewline: true)
          guard let secret, !secret.isEmpty else {
            throw SetupFailure("no secret given on standard input", exitCode: ExitStatus.usageError)
          }
          profile.keySecret = secret
        }
        if let organization { profile.organizationID = organization }
        if let endpoint { profile.endpoint = endpoint }
        if let readOnly { profile.readOnly = readOnly }
        try ProfileCommand.store.save(profile, makeDefault: makeDefault)
        print("saved profile \(name) in \(ProfileCommand.store.path)")
      }
    }
  }

  /// `mpg profile remove NAME`.
  struct Remove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Delete a profile.")
    @Argument(help: "The profile.", completion: .shellCommand(CompletionValues.command(CompletionValues.profiles))) var name:
      String

    func run() async throws {
      try ProfileCommand.reporting {
        guard try ProfileCommand.store.remove(named: name) else {
          throw SetupFailure("there is no profile `\(name)`", exitCode: ExitStatus.usageError)
        }
        print("removed profile \(name)")
      }
    }
  }

  /// `mpg profile use NAME`.
  struct Use: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Make a profile the default.")
    @Argument(help: "The profile.", completion: .shellCommand(CompletionValues.command(CompletionValues.profiles))) var name:
      String

    func run() async throws {
      try ProfileCommand.reporting {
        try ProfileCommand.store.setDefault(name)
        print("default profile: \(name)")
      }
    }
  }
}
