import Foundation
import MPGTestSupport
import Testing

/// Nothing a user did not mean is sent: each mistake fails with its message and exit code, and the real
/// emulator it points at receives no request at all.
@Suite(.serialized)
struct SafetyTests {
  /// A mistake: what is run, what stderr must say, and the exit code.
  struct Mistake: CustomStringConvertible, Sendable {
    var code: String
    var message: String
    var status: Int32 = 2
    var flags: [String] = []
    var environment: [String: String] = [:]
    var description: String { code }
  }

  static let id = "00000000-0000-4000-8000-000000000001"

  static let mistakes: [Mistake] = [
    Mistake(
      code: "create name=x provider=aws region=us-east-1 size=r8gd.large postgresversion=18",
      message: "postgresversion is not a field of this request; did you mean postgresVersion?"),
    Mistake(
      code: "create name=x provider=aws region=us-east-1 size=r8gd.large tags:=[{key: \"env\", vale: \"dev\"}]",
      message: "tags[0].vale is not a field of this request; did you mean value?"),
    Mistake(code: "create name=x provider=aws region=us-east-1 size=r8gd.large haType=asyn", message: "did you mean async?"),
    Mistake(code: "patch \(id) size:=8", message: "size must be a string, not a number"),
    Mistake(code: "replica \(id) name=ro pgconfig:={}", message: "did you mean pgConfig?"),
    Mistake(code: "restore \(id) name=back at=yesterday", message: "must be an RFC 3339 date-time"),
    Mistake(code: "config \(id) set work_mme=8MB", message: "did you mean work_mem?"),
    Mistake(code: "tag \(id) env=\"two words\"", message: "tag value \"two words\" must match"),
    Mistake(code: "password \(id) short --yes", message: "the new password must be 12 to 1024 characters long"),
    Mistake(
      code: "let name = $args[0]; create name=$name provider=aws region=us-east-1 size=r8gd.large",
      message: "the field `name` is null: `$name` has no value"),
    Mistake(code: "get $args[0]", message: "the first argument of `get` is null"),
    Mistake(code: "delete \(id)", message: "`delete` cannot be undone, and there is no terminal to ask on: add --yes"),
    Mistake(code: "delete some-db", message: "`delete` cannot be undone"),
    Mistake(code: "promote \(id)", message: "`promote` cannot be undone"),
    Mistake(code: "password \(id)", message: "`password` cannot be undone"),
    Mistake(code: "config \(id) replace {pgConfig: {}, pgBouncerConfig: {}}", message: "`config` cannot be undone"),
    Mistake(
      code: "create name=x provider=aws region=us-east-1 size=r8gd.large",
      message: "read-only (--read-only): `create` would change something",
      flags: ["--read-only"]),
    Mistake(
      code: "delete \(id) --yes", message: "read-only (MPG_READ_ONLY): `delete` would change something",
      environment: ["MPG_READ_ONLY": "1"]),
    Mistake(code: "list", message: "MPG_READ_ONLY takes 1, true, yes or on", environment: ["MPG_READ_ONLY": "perhaps"]),
    Mistake(code: "list", message: "--rate-limit takes `off` or N/SECONDS", flags: ["--rate-limit", "abc"]),
    Mistake(code: "logs \(id) --limit 5000", message: "--limit must be between 1 and 2000, not 5000"),
    Mistake(code: "lst", message: "unknown command or function `lst`; did you mean `list`?"),
  ]

  @Test func mistakesSendNothing() async throws {
    try await CommandHarness.with { harness in
      for mistake in Self.mistakes {
        let before = harness.emulator.requestsReceived
        let run = try await harness.run(mistake.code, extra: mistake.flags, environment: mistake.environment)
        #expect(run.status == mistake.status, "\(mistake): \(run.transcript)")
        #expect(run.standardError.contains(mistake.message), "\(mistake): \(run.transcript)")
        #expect(
          harness.emulator.requestsReceived == before, "\(mistake) sent \(harness.emulator.requestsReceived - before) requests")
      }
      // The counter counts: one list is one request.
      let before = harness.emulator.requestsReceived
      let list = try await harness.run("list | length")
      #expect(list.status == 0, "\(list.transcript)")
      #expect(harness.emulator.requestsReceived > before)
    }
  }

  /// A profile marked read_only makes every session that uses its key read-only; reads still work.
  @Test func readOnlyProfile() async throws {
    try await CommandHarness.with { harness in
      let set = try await harness.runArguments(
        ["profile", "set", "prod", "--key-id", harness.emulator.keyID, "--endpoint", harness.emulator.baseURL, "--read-only"],
        input: harness.emulator.keySecret + "\n")
      #expect(set.status == 0, "\(set.transcript)")
      let config = try String(contentsOf: harness.home.appendingPathComponent("config/mpg/config.toml"), encoding: .utf8)
      #expect(config.contains("read_only = true"), "\(config)")
      let read = try await harness.runArguments(["-c", "list | length"])
      #expect(read.status == 0 && read.standardOutput == "0\n", "\(read.transcript)")
      let before = harness.emulator.requestsReceived
      let write = try await harness.runArguments(["-c", "create name=x provider=aws region=us-east-1 size=r6gd.medium"])
      #expect(write.status == 2, "\(write.transcript)")
      #expect(write.standardError.contains("read-only (profile prod is marked read_only)"), "\(write.transcript)")
      #expect(harness.emulator.requestsReceived == before)
      let caught = try await harness.runArguments(["-c", "try { api POST /v1/organizations {} } catch e { echo $e.kind }"])
      #expect(caught.standardOutput == "read_only\n", "\(caught.transcript)")
      let cleared = try await harness.runArguments(["profile", "set", "prod", "--no-read-only"])
      #expect(cleared.status == 0, "\(cleared.transcript)")
      let allowed = try await harness.runArguments(["-c", "create name=x provider=aws region=us-east-1 size=r6gd.medium | .name"])
      #expect(allowed.status == 0 && allowed.standardOutput == "\"x\"\n", "\(allowed.transcript)")
    }
  }

  /// Read-only mode reaches SQL: psql's transactions are read-only, so a write fails and a read works.
  @Test func readOnlyModeMakesSQLReadOnly() async throws {
    try await CommandHarness.with { harness in
      let setup = try await harness.run(
        "let pg = create name=ro-sql provider=aws region=us-east-1 size=r6gd.medium; wait $pg --every 0.2s --quiet")
      #expect(setup.status == 0, "\(setup.transcript)")
      let write = try await harness.run(#"sql ro-sql "create table t (x int)""#, extra: ["--read-only"])
      #expect(write.status == 1, "\(write.transcript)")
      #expect(write.standardError.contains("cannot execute CREATE TABLE in a read-only transaction"), "\(write.transcript)")
      let read = try await harness.run(
        #"sql ro-sql "select 6 * 7 as answer" | .[0].answer"#, environment: ["MPG_READ_ONLY": "yes"])
      #expect(read.status == 0 && read.standardOutput == "42\n", "\(read.transcript)")
      // PGOPTIONS of the caller's own cannot turn it off.
      let sneaky = try await harness.run(
        #"sql ro-sql "create table t (x int)""#, extra: ["--read-only"],
        environment: ["PGOPTIONS": "-c default_transaction_read_only=off"])
      #expect(sneaky.status == 1, "\(sneaky.transcript)")
    }
  }

  /// A replica asked for before the primary's first backup fails with the API's words and a hint whose
  /// advice, followed, works.
  @Test func replicaBeforeTheFirstBackupHasAHint() async throws {
    try await CommandHarness.with { harness in
      let run = try await harness.run(
        #"""
        let pg = create name=early provider=aws region=us-east-1 size=r6gd.medium
        let pg = wait $pg --every 0.2s --quiet
        replica $pg name=early-ro
        """#)
      #expect(run.status == 1, "\(run.transcript)")
      #expect(run.standardError.contains("There are no backups, yet"), "\(run.transcript)")
      #expect(run.standardError.contains("  hint: a new service takes its first backup"), "\(run.transcript)")
      #expect(run.standardError.contains("wait $pg until (.earliestRestoreTime != null)"), "\(run.transcript)")
      let followed = try await harness.run(
        #"""
        let pg = get early
        wait $pg until (.earliestRestoreTime != null) --every 0.5s --timeout 60s --quiet
        replica $pg name=early-ro | .name
        """#)
      #expect(followed.status == 0, "\(followed.transcript)")
      #expect(followed.standardOutput.hasSuffix("\"early-ro\"\n"), "\(followed.transcript)")
    }
  }

  /// A restore target before the backups begin gets the window it can reach.
  @Test func restoreOutsideTheWindowShowsIt() async throws {
    try await CommandHarness.with { harness in
      let run = try await harness.run(
        #"""
        let pg = create name=window provider=aws region=us-east-1 size=r6gd.medium
        let pg = wait $pg until (.earliestRestoreTime != null) --every 0.5s --timeout 60s --quiet
        try {
          restore $pg name=too-early at="2020-01-01T00:00:00Z"
        } catch e {
          echo $e.hint
        }
        """#)
      #expect(run.status == 0, "\(run.transcript)")
      #expect(run.standardOutput.contains("a restore can reach any moment from 20"), "\(run.transcript)")
      #expect(run.standardOutput.contains("up to now"), "\(run.transcript)")
    }
  }
}
