import Foundation
import MPGTestSupport
import Testing

/// The API secret and service passwords reach no file but the vault, no child's argv, and the
/// screen only when asked.
@Suite(.serialized)
struct SecretHandlingTests {
  @Test func passwordsStayOutOfFilesArgvAndOutput() async throws {
    try await CommandHarness.with { harness in
      let run = try await harness.run(
        #"""
        let pg = create name=secret provider=aws region=us-east-1 size=r6gd.medium
        $pg
        let pg = wait $pg --every 0.2s --quiet
        let reset = password $pg --yes
        $reset
        save created.json $pg.id
        sql $pg "select pg_sleep(2) as slept" | length
        let length = $reset.password | length
        echo $length
        """#, extra: ["--trace"])
      #expect(run.status == 0, "\(run.transcript)")
      // The passwords, as the vault has them.
      let vaultURL = harness.home.appendingPathComponent("state/mpg/vault.json")
      let vault = try String(contentsOf: vaultURL, encoding: .utf8)
      let attributes = try FileManager.default.attributesOfItem(atPath: vaultURL.path)
      #expect((attributes[.posixPermissions] as? Int) == 0o600)
      let password = try #require(
        vault.components(separatedBy: "\"password\": \"").dropFirst().first?.components(separatedBy: "\"").first)
      #expect(password.count >= 12)
      // Masked on screen, in the trace, and in every other file mpg wrote.
      #expect(run.standardOutput.contains(#""password": "********""#), "\(run.transcript)")
      #expect(run.standardOutput.contains("postgres://postgres:********@"), "\(run.transcript)")
      for secret in [password, harness.emulator.keySecret] {
        #expect(!run.standardOutput.contains(secret))
        #expect(!run.standardError.contains(secret))
        for file in CommandHarness.files(under: harness.home) where file.path != vaultURL.path {
          let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
          #expect(!text.contains(secret), "\(file.path) holds a secret")
        }
      }
    }
  }

  /// A secret is masked wherever it travels — alone, inside a string, in `echo`, in an error — unless
  /// --show-secrets, which shows each in clear.
  @Test func secretsAreMaskedWhereverTheyTravel() async throws {
    try await CommandHarness.with { harness in
      let script = #"""
        let pg = create name=travel provider=aws region=us-east-1 size=r6gd.medium
        $pg.password
        $pg.connectionString
        echo "the password is \($pg.password)"
        echo {copy: $pg.password}
        [$pg.password]
        try { error("no good: \($pg.password)") } catch e { echo $e.message }
        let key = $ENV.CLICKHOUSE_CLOUD_API_SECRET
        echo "key \($key)"
        assert false "failed with \($pg.password)"
        """#
      let masked = try await harness.run(script)
      #expect(masked.status == 1, "\(masked.transcript)")
      let vault = try String(contentsOf: harness.home.appendingPathComponent("state/mpg/vault.json"), encoding: .utf8)
      let password = try #require(
        vault.components(separatedBy: "\"password\": \"").dropFirst().first?.components(separatedBy: "\"").first)
      for secret in [password, harness.emulator.keySecret] {
        #expect(!masked.standardOutput.contains(secret), "\(masked.transcript)")
        #expect(!masked.standardError.contains(secret), "\(masked.transcript)")
      }
      let expected = [
        #""********""#, #""postgres://postgres:********@"#, "the password is ********", #"{"copy":"********"}"#, #""********""#,
        "no good: ********", "key ********",
      ]
      for line in expected {
        #expect(masked.standardOutput.contains(line), "missing \(line)\n\(masked.transcript)")
      }
      #expect(masked.standardError.contains("error: failed with ********"), "\(masked.transcript)")
      let shown = try await harness.run(
        script.replacingOccurrences(of: "name=travel", with: "name=shown"), extra: ["--show-secrets"])
      let shownVault = try String(contentsOf: harness.home.appendingPathComponent("state/mpg/vault.json"), encoding: .utf8)
      #expect(shown.standardOutput.contains("key \(harness.emulator.keySecret)"), "\(shown.transcript)")
      #expect(!shown.standardOutput.contains("the password is ********"), "\(shown.transcript)")
      let shownPasswords = shownVault.components(separatedBy: "\"password\": \"").dropFirst().compactMap {
        $0.components(separatedBy: "\"").first
      }
      #expect(shownPasswords.contains { shown.standardOutput.contains("the password is \($0)") }, "\(shown.transcript)")
      #expect(shownPasswords.contains { shown.standardError.contains("failed with \($0)") }, "\(shown.transcript)")
    }
  }

  /// `kill -9` of mpg while psql runs leaves no password anywhere on disk: psql read it from a memory
  /// file that died with mpg. The test kills mpg, then the orphaned psql, by pid.
  @Test func killedDuringSQLLeavesNoPasswordOnDisk() async throws {
    try await CommandHarness.with { harness in
      let setup = try await harness.run(
        "let pg = create name=killed provider=aws region=us-east-1 size=r6gd.medium; wait $pg --every 0.2s --quiet")
      #expect(setup.status == 0, "\(setup.transcript)")
      let temporary = harness.home.appendingPathComponent("tmp")
      try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
      let process = Process()
      process.executableURL = MPGProcess.executableURL
      process.arguments = harness.connectionArguments() + ["-c", #"sql killed "select pg_sleep(5) as slept""#]
      process.environment = ProcessInfo.processInfo.environment.merging(
        harness.environment.merging(harness.keyEnvironment()) { $1 }
      ) { $1 }
      .merging(["TMPDIR": temporary.path]) { $1 }
      process.currentDirectoryURL = harness.home
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      let mpg = process.processIdentifier
      var psql: Int32?
      var passfile = ""
      let deadline = Date().addingTimeInterval(60)
      while psql == nil, Date() < deadline {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
          guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8) else {
            continue
          }
          let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
          guard fields.count > 2, Int32(fields[1]) == mpg,
            let command = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"),
            String(decoding: command, as: UTF8.self).contains("pg_sleep")
          else { continue }
          psql = pid
          let environment =
            FileManager.default.contents(atPath: "/proc/\(entry)/environ").map { String(decoding: $0, as: UTF8.self) } ?? ""
          passfile =
            environment.split(separator: "\0").first { $0.hasPrefix("PGPASSFILE=") }.map { String($0.dropFirst(11)) } ?? ""
        }
        if psql == nil { try await Task.sleep(nanoseconds: 20_000_000) }
      }
      kill(mpg, SIGKILL)
      process.waitUntilExit()
      defer { if let psql { kill(psql, SIGKILL) } }
      #expect(psql != nil, "psql was never seen running")
      #expect(passfile.hasPrefix("/proc/\(mpg)/fd/"), "PGPASSFILE=\(passfile)")
      #expect(!FileManager.default.fileExists(atPath: passfile), "the passfile outlived mpg")
      let vault = try String(contentsOf: harness.home.appendingPathComponent("state/mpg/vault.json"), encoding: .utf8)
      let password = try #require(
        vault.components(separatedBy: "\"password\": \"").dropFirst().first?.components(separatedBy: "\"").first)
      #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).isEmpty)
      for file in CommandHarness.files(under: harness.home) where !file.path.hasSuffix("vault.json") {
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        #expect(!text.contains(password), "\(file.path) holds the password")
      }
    }
  }

  @Test func psqlArgvNeverHoldsThePassword() async throws {
    try await CommandHarness.with { harness in
      let session = Task {
        try await harness.run(
          #"""
          let pg = create name=argv provider=aws region=us-east-1 size=r6gd.medium
          let pg = wait $pg --every 0.2s --quiet
          sql $pg "select pg_sleep(4) as slept" | length
          """#)
      }
      // Watch every process's argv while the query sleeps.
      var sawPsql = false
      var leaked: [String] = []
      // Until psql is seen or the script ends (creating and waiting may be slow on a loaded machine).
      let deadline = Date().addingTimeInterval(300)
      while Date() < deadline {
        let vault = (try? String(contentsOf: harness.home.appendingPathComponent("state/mpg/vault.json"), encoding: .utf8)) ?? ""
        let password = vault.components(separatedBy: "\"password\": \"").dropFirst().first?.components(separatedBy: "\"").first
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where Int(entry) != nil {
          guard let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { continue }
          let argv = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\0", with: " ")
          if argv.contains("psql") && argv.contains("pg_sleep") { sawPsql = true }
          if let password, !password.isEmpty, argv.contains(password) { leaked.append(argv) }
          if argv.contains(harness.emulator.keySecret) { leaked.append(argv) }
        }
        if sawPsql { break }
        try await Task.sleep(nanoseconds: 20_000_000)
      }
      let run = try await session.value
      #expect(run.status == 0, "\(run.transcript)")
      #expect(sawPsql, "psql was never seen running")
      #expect(leaked.isEmpty, "argv with a secret: \(leaked)")
    }
  }
}
