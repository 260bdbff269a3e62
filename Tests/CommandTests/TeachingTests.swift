import Foundation
import MPGTestSupport
import Testing

/// The teaching faces against a real twin: the full trace masks every secret, and a dry run of the
/// main runbook needs no key and prints only curl commands (and the runbook's own lines).
@Suite("teaching")
struct TeachingTests {
  /// `-v` shows each exchange with headers and bodies, yet no password, key secret or connection
  /// string appears anywhere in the output.
  @Test(arguments: [["-v"], ["--trace=full"]])
  func fullTraceMasksSecrets(flag: [String]) async throws {
    try await CommandHarness.with { harness in
      let run = try await harness.run(
        #"""
        let pg = create name=traced provider=aws region=us-east-1 size=r6gd.medium
        let pg = wait $pg --every 0.2s
        password $pg "Chosen-Password-42x" --yes
        let reset = password $pg --yes
        sql $pg "select 1 as one"
        """#, extra: flag)
      #expect(run.status == 0, "\(run.transcript)")
      let trace = run.standardError
      for part in [
        "POST ", "/postgres\n", "Authorization: Basic ********", "HTTP 200", "Content-Type: application/json",
        "\"name\": \"traced\"", "PATCH ",
      ] {
        #expect(trace.contains(part), "the trace lacks \(part)\n\(run.transcript)")
      }
      #expect(trace.contains("\"password\": \"********\""), "\(run.transcript)")
      #expect(!trace.contains("Chosen-Password-42x"), "the chosen password leaked\n\(run.transcript)")
      #expect(!trace.contains(harness.emulator.keySecret), "the key secret leaked")
      // The password the vault kept (the reset's, the latest) stays out of it, as the chosen one did.
      let vault = try #require(CommandHarness.files(under: harness.home).first { $0.lastPathComponent == "vault.json" })
      let kept = try String(contentsOf: vault, encoding: .utf8)
      let passwords = kept.components(separatedBy: "\"password\"").dropFirst().compactMap { rest in
        rest.split(separator: "\"").dropFirst().first.map(String.init)
      }
      #expect(passwords.count >= 1, "\(kept)")
      for password in passwords {
        #expect(!(run.standardOutput + trace).contains(password), "a service password leaked\n\(run.transcript)")
      }
      // Connection strings show up with the password masked.
      for piece in trace.components(separatedBy: "postgres://").dropFirst() {
        let credentials = piece.prefix { $0 != "@" && $0 != "\"" }
        #expect(credentials.hasSuffix(":********"), "a connection string shows \(credentials)")
      }
    }
  }

  /// `mpg --dry-run scripts/create-wait-connect.mpg` with no key at all: exit 0, every line of standard
  /// output is a curl command for the live API or one the runbook prints, and the twin is gone after.
  @Test func dryRunOfTheMainRunbookNeedsNoKey() async throws {
    let runbook = MPGProcess.packageRoot().appendingPathComponent("scripts/create-wait-connect.mpg").path
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("mpg-dry-home-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: home) }
    let run = try MPGProcess.run(
      ["--dry-run", runbook], directory: home,
      environment: [
        "HOME": home.path, "XDG_STATE_HOME": "", "XDG_CONFIG_HOME": "", "XDG_DATA_HOME": "",
        "CLICKHOUSE_CLOUD_API_KEY": "", "CLICKHOUSE_CLOUD_API_SECRET": "", "CLICKHOUSE_CLOUD_ORG_ID": "",
        "CLICKHOUSE_CLOUD_API_URL": "",
      ])
    #expect(run.status == 0, "\(run.standardOutput)\n\(run.standardError)")
    let lines = run.standardOutput.split(separator: "\n").map(String.init)
    let curls = lines.filter { $0.hasPrefix("curl ") }
    #expect(curls.count >= 6, "\(run.standardOutput)")
    for curl in curls {
      #expect(curl.contains("\"https://api.clickhouse.cloud/v1/organizations/$CLICKHOUSE_CLOUD_ORG_ID/postgres"), "\(curl)")
    }
    #expect(curls.contains { $0.contains("-X POST") && $0.contains(#""name":"runbook-demo""#) })
    #expect(curls.contains { $0.contains("-X DELETE") })
    // The runbook's own lines (created, running, psql's answer, tags, deleted), nothing else.
    let own = lines.filter { !$0.hasPrefix("curl ") }
    #expect(own.first?.hasPrefix("created runbook-demo") == true, "\(run.standardOutput)")
    #expect(own.contains("deleted runbook-demo"), "\(run.standardOutput)")
    #expect(own.contains("tags: Environment=production"), "\(run.standardOutput)")
    // No vault, history or twin left behind in the user's home or /tmp.
    #expect(CommandHarness.files(under: home).isEmpty, "\(CommandHarness.files(under: home))")
    let left = try FileManager.default.contentsOfDirectory(atPath: "/tmp").filter { $0.hasPrefix("mpg-dry-run-") }
    #expect(
      left.allSatisfy { name in
        let pid = Int32(name.dropFirst("mpg-dry-run-".count).prefix { $0.isNumber }) ?? 0
        return kill(pid, 0) == 0
      }, "\(left)")
  }

  /// A dry run prints each request once where a `wait` would repeat it, but per output: two iterations
  /// of a `parallel for` sending the same request each show it, under their labels.
  @Test func dryRunShowsTheSameRequestOfEachParallelIteration() async throws {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("mpg-dry-home-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: home) }
    let run = try MPGProcess.run(
      ["--dry-run", "-c", "list; list\nparallel for i in range(3) { list; list }"], directory: home,
      environment: [
        "HOME": home.path, "XDG_STATE_HOME": "", "XDG_CONFIG_HOME": "", "XDG_DATA_HOME": "",
        "CLICKHOUSE_CLOUD_API_KEY": "", "CLICKHOUSE_CLOUD_API_SECRET": "", "CLICKHOUSE_CLOUD_ORG_ID": "",
        "CLICKHOUSE_CLOUD_API_URL": "",
      ])
    #expect(run.status == 0, "\(run.standardOutput)\n\(run.standardError)")
    let curls = run.standardOutput.split(separator: "\n").filter { $0.contains("curl ") }
    #expect(curls.filter { $0.hasPrefix("curl ") }.count == 1, "\(run.standardOutput)")
    for label in ["[0] curl ", "[1] curl ", "[2] curl "] {
      #expect(curls.filter { $0.hasPrefix(label) }.count == 1, "\(label): \(run.standardOutput)")
    }
  }
}
