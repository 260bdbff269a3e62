import Foundation
import JQ
import MPGTestSupport
import Testing

/// `mpg completion bash|zsh|fish` and the answers the scripts ask `mpg completion candidates` for.
@Suite("shell completion")
struct CompletionTests {
  /// The answer for `words` (after `mpg`; the last is being typed): its file kind and its words.
  static func candidates(_ words: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> (
    files: String, words: [String]
  ) {
    let run = try MPGProcess.run(["completion", "candidates", "--"] + words, directory: directory, environment: environment)
    #expect(run.status == 0, "\(run.standardError)")
    let lines = run.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    return (lines.first ?? "", Array(lines.dropFirst()).filter { !$0.isEmpty })
  }

  @Test(arguments: [
    ([""], "files mpg", ["emulator", "profile", "help", "version", "completion"]),
    (["em"], "files mpg", ["emulator"]),
    (["emulator", ""], "-", ["serve", "status", "reset", "gc", "postgres"]),
    (["emulator", "postgres", ""], "-", ["list", "install"]),
    (["emulator", "postgres", "install", ""], "-", ["17", "18"]),
    (["emulator", "serve", "--data-dir", ""], "dirs", []),
    (["emulator", "serve", "--fault-kinds", "sl"], "-", ["slow", "slow-effect"]),
    (["--rate-limit", ""], "-", ["10/10", "off"]),
    (["--local", ""], "files mpg", []),
    (["--local", "emulator", ""], "files", []),
    (["completion", ""], "-", ["zsh", "bash", "fish"]),
    (["help", "wa"], "-", ["wait"]),
    (["help", "exit"], "-", ["exit", "exit-codes"]),
    (["-c", "list", ""], "-", []),
    (["--arg", "name", ""], "-", []),
    (["--arg", "name", "value", ""], "files mpg", []),
  ])
  func answers(words: [String], files: String, expected: [String]) throws {
    let answer = try Self.candidates(words)
    #expect(answer.files == files, "\(words)")
    #expect(answer.words == expected, "\(words)")
  }

  /// Every option `--help` shows is offered after `-`, for mpg and each subcommand.
  @Test func everyDeclaredOptionIsOffered() throws {
    for root in [[], ["emulator"], ["profile"]] {
      let dump = try MPGProcess.run(root + ["--experimental-dump-help"])
      let command = try #require(try JSONValue(parsing: dump.standardOutput)["command"])
      func visit(_ command: JSONValue, path: [String]) throws {
        let offered = try Self.candidates(path + ["-"]).words
        for argument in command["arguments"]?.arrayElements ?? [] where argument["shouldDisplay"]?.boolValue == true {
          for name in argument["names"]?.arrayElements ?? [] where name["kind"]?.stringValue == "long" {
            let long = "--" + (name["name"]?.stringValue ?? "")
            #expect(offered.contains(long), "mpg \(path.joined(separator: " ")) - does not offer \(long)")
          }
        }
        let subcommands = (command["subcommands"]?.arrayElements ?? []).compactMap { $0["commandName"]?.stringValue }.filter {
          $0 != "help"
        }
        if !subcommands.isEmpty {
          #expect(try Self.candidates(path + [""]).words == subcommands, "mpg \(path.joined(separator: " "))")
        }
        for subcommand in command["subcommands"]?.arrayElements ?? [] where subcommand["commandName"]?.stringValue != "help" {
          try visit(subcommand, path: path + [subcommand["commandName"]?.stringValue ?? ""])
        }
      }
      try visit(command, path: root)
    }
  }

  @Test func savedProfilesAreOffered() async throws {
    try await LocalTwinFixture.with { twin in
      let saved = try await twin.run(["profile", "set", "staging", "--key-id", "id1", "--org", "org1"], input: "secret1\n")
      #expect(saved.status == 0, "\(saved.standardError)")
      let answer = try Self.candidates(["--profile", "st"], in: twin.home, environment: twin.environment)
      #expect(answer.words == ["staging"])
      #expect(try Self.candidates(["profile", "use", ""], in: twin.home, environment: twin.environment).words == ["staging"])
    }
  }

  /// After a script, its arguments are completed with the names and ids of the services of an
  /// emulator that is already serving; Tab never starts one.
  @Test func scriptArgumentsOfferServicesOfARunningTwinOnly() async throws {
    try await LocalTwinFixture.with { twin in
      let none = try Self.candidates(["--local", "run.mpg", ""], in: twin.home, environment: twin.environment)
      #expect(none.files == "files" && none.words.isEmpty)
      #expect(!FileManager.default.fileExists(atPath: twin.dataDirectory + "/server.json"), "Tab started an emulator")
      let pid = try twin.start(["emulator", "serve", "--rate-limit", "off"], output: "serve.json")
      #expect(await twin.waitFor("\"url\"", in: "serve.json"))
      let created = try await twin.run([
        "--local", "-r", "-c", "create name=demo-db provider=aws region=us-east-1 size=r8gd.large postgresVersion=\"18\" | .id",
      ])
      #expect(created.status == 0, "\(created.standardError)")
      let id = created.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
      let all = try Self.candidates(["--local", "run.mpg", ""], in: twin.home, environment: twin.environment)
      #expect(all.words == ["demo-db", id], "\(all)")
      let named = try Self.candidates(["--local", "run.mpg", "demo-db", "de"], in: twin.home, environment: twin.environment)
      #expect(named.words == ["demo-db"])
      kill(pid, SIGTERM)
    }
  }

  /// An API that never answers cannot hold the shell: the lookup ends itself (SIGALRM).
  @Test func aSilentAPIIsCutOff() throws {
    let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(listener) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
    listen(listener, 8)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
    }
    let port = Int(UInt16(bigEndian: address.sin_port))
    let run = try MPGProcess.run(
      ["completion", "candidates", "--", "--endpoint", "http://127.0.0.1:\(port)", "--org", "o", "x.mpg", ""],
      environment: ["CLICKHOUSE_CLOUD_API_KEY": "k", "CLICKHOUSE_CLOUD_API_SECRET": "s"])
    #expect(run.status == SIGALRM, "\(run.status) \(run.standardOutput)")
    #expect(run.standardOutput == "files\n")
    #expect(run.standardError.isEmpty)
  }

  @Test(arguments: ["bash", "zsh", "fish"])
  func scriptsAreValidShell(shell: String) throws {
    let path = "/usr/bin/\(shell)"
    try #require(FileManager.default.isExecutableFile(atPath: path), "\(shell) is not installed")
    let script = try MPGProcess.run(["completion", shell])
    #expect(script.status == 0, "\(script.standardError)")
    let check = try MPGProcess.run(executable: URL(fileURLWithPath: path), ["-n"], input: script.standardOutput)
    #expect(check.status == 0, "\(check.standardError)")
  }

  /// The scripts, run by the real shells, offer what `candidates` answers, files included, and hide
  /// the value of --key-secret from the child they start.
  @Test func shellsCompleteWithTheScripts() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mpg-completion-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    try FileManager.default.createDirectory(at: directory.appendingPathComponent("bin"), withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      at: directory.appendingPathComponent("bin/mpg"), withDestinationURL: MPGProcess.executableURL)
    _ = FileManager.default.createFile(atPath: directory.appendingPathComponent("runbook.mpg").path, contents: nil)
    _ = FileManager.default.createFile(atPath: directory.appendingPathComponent("notes.txt").path, contents: nil)
    let path = directory.appendingPathComponent("bin").path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin")
    func shell(_ name: String, _ program: String) throws -> String {
      let run = try MPGProcess.run(
        executable: URL(fileURLWithPath: "/usr/bin/\(name)"), ["-c", program], directory: directory, environment: ["PATH": path])
      #expect(run.status == 0, "\(name): \(run.standardError)")
      return run.standardOutput
    }
    let bash = try shell(
      "bash",
      """
      source <(mpg completion bash)
      COMP_WORDS=(mpg emulator s); COMP_CWORD=2; _mpg; echo "${COMPREPLY[*]}"
      COMP_WORDS=(mpg ''); COMP_CWORD=1; _mpg; echo "${COMPREPLY[*]}"
      """)
    #expect(bash == "serve status\nemulator profile help version completion bin runbook.mpg\n", "\(bash)")
    let passed = try shell(
      "bash",
      """
      source <(mpg completion bash)
      timeout() { echo "$@" > argv.txt; }
      COMP_WORDS=(mpg --key-secret TOPSECRET run.mpg ''); COMP_CWORD=4; _mpg; cat argv.txt
      """)
    #expect(passed.contains("completion candidates -- --key-secret _ run.mpg"), "\(passed)")
    #expect(!passed.contains("TOPSECRET"), "\(passed)")
    if FileManager.default.isExecutableFile(atPath: "/usr/bin/zsh") {
      let zsh = try shell(
        "zsh",
        """
        compdef() { : }; compadd() { print -r -- ADD "$@" }; _files() { print -r -- FILES "$@" }
        source <(mpg completion zsh)
        words=(mpg emulator s); CURRENT=3; _mpg
        words=(mpg ''); CURRENT=2; _mpg
        """)
      #expect(zsh == "ADD -- serve status\nADD -- emulator profile help version completion\nFILES -g *.(mpg)\n", "\(zsh)")
    }
    if FileManager.default.isExecutableFile(atPath: "/usr/bin/fish") {
      let fish = try shell("fish", "mpg completion fish | source; complete -C 'mpg emulator s'; complete -C 'mpg '")
      #expect(
        fish.split(separator: "\n").sorted() == [
          "bin/", "completion", "emulator", "help", "profile", "runbook.mpg", "serve", "status", "version",
        ], "\(fish)")
    }
  }
}
