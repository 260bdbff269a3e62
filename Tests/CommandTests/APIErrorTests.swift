import Foundation
import MPGTestSupport
import Testing

/// Failures users meet: each is a located message, a catchable error and a documented exit code.
@Suite(.serialized)
struct APIErrorTests {
  @Test func wrongSecretExitsFour() async throws {
    try await CommandHarness.with { harness in
      let run = try await harness.run("list", secret: "not-the-secret")
      #expect(run.status == 4, "\(run.transcript)")
      #expect(run.standardError.contains("→ 401"), "\(run.transcript)")
      #expect(run.standardError.contains("<command line>:1:1: error:"), "\(run.transcript)")
      #expect(!run.standardError.contains("not-the-secret"))
    }
  }

  @Test func missingCredentialsListTheWaysAndExitFour() async throws {
    try await CommandHarness.with { harness in
      let run = try await harness.runArguments(["-c", "list"])
      #expect(run.status == 4, "\(run.transcript)")
      for way in ["--key-id", "CLICKHOUSE_CLOUD_API_KEY", ".env", "mpg profile", "--local"] {
        #expect(run.standardError.contains(way), "\(run.transcript)")
      }
    }
  }

  @Test func credentialsFromDotEnv() async throws {
    try await CommandHarness.with { harness in
      let dotEnv = """
        # the official CLI's names
        CLICKHOUSE_CLOUD_API_KEY=\(harness.emulator.keyID)
        export CLICKHOUSE_CLOUD_API_SECRET="\(harness.emulator.keySecret)"
        CLICKHOUSE_CLOUD_API_URL=\(harness.emulator.baseURL)
        """
      try dotEnv.write(to: harness.home.appendingPathComponent(".env"), atomically: true, encoding: .utf8)
      let run = try await harness.runArguments(["-c", "orgs | length"])
      try? FileManager.default.removeItem(at: harness.home.appendingPathComponent(".env"))
      #expect(run.status == 0, "\(run.transcript)")
      #expect(run.standardOutput == "1\n", "\(run.transcript)")
    }
  }

  @Test func credentialsFromAProfile() async throws {
    try await CommandHarness.with { harness in
      let set = try await harness.runArguments(
        ["profile", "set", "lab", "--key-id", harness.emulator.keyID, "--endpoint", harness.emulator.baseURL],
        input: harness.emulator.keySecret + "\n")
      #expect(set.status == 0, "\(set.transcript)")
      let run = try await harness.runArguments(["-c", "orgs | length"])
      #expect(run.status == 0, "\(run.transcript)")
      #expect(run.standardOutput == "1\n", "\(run.transcript)")
      let list = try await harness.runArguments(["profile", "list"])
      #expect(list.standardOutput.contains("* lab"), "\(list.transcript)")
      #expect(!list.standardOutput.contains(harness.emulator.keySecret))
      let missing = try await harness.runArguments(["--profile", "nope", "-c", "orgs"])
      #expect(missing.status == 4, "\(missing.transcript)")
    }
  }

  @Test func validationErrorsAreCatchable() async throws {
    try await CommandHarness.with { harness in
      let run = try await harness.run(#"""
        try {
          create name=bad provider=aws region=us-east-1 size=r8g.large
        } catch e {
          echo $e.kind $e.status
          assert ($e.error | startswith("BAD_REQUEST"))
          assert ($e.message | test("POST /v1/organizations/.*/postgres → 400 BAD_REQUEST: .*size"))
          assert ($e.requestId | length) == 36
        }
        try { get 00000000-0000-4000-8000-000000000000 } catch e { echo $e.status }
        try { get no-such-db } catch e { echo $e.kind }
        try { create name=x } catch e { echo $e.kind }
        """#)
      #expect(run.status == 0, "\(run.transcript)")
      #expect(run.standardOutput == "api 400\n400\nnot_found\nusage\n", "\(run.transcript)")
    }
  }

  @Test func uncaughtAPIErrorIsLocated() async throws {
    try await CommandHarness.with { harness in
      let run = try await harness.run("let x = 1\nget 00000000-0000-4000-8000-000000000000")
      #expect(run.status == 1, "\(run.transcript)")
      #expect(run.standardError.contains("<command line>:2:1: error: GET /v1/organizations/"), "\(run.transcript)")
      #expect(run.standardError.contains("→ 400 BAD_REQUEST: Invalid Postgres service id"), "\(run.transcript)")
      #expect(run.standardError.contains("(request ID "), "\(run.transcript)")
    }
  }

  @Test func deletedServiceIsNotFound() async throws {
    try await CommandHarness.with { harness in
      let run = try await harness.run(#"""
        let pg = create name=gone provider=aws region=us-east-1 size=r6gd.medium
        let pg = wait $pg --every 0.2s --quiet
        delete $pg --yes
        wait $pg gone --every 0.2s --quiet
        try { get $pg } catch e { echo $e.status }
        """#)
      #expect(run.status == 0, "\(run.transcript)")
      #expect(run.standardOutput == "404\n", "\(run.transcript)")
    }
  }

  @Test func rateLimitedRequestsAreRetried() async throws {
    // The emulator allows 3 requests per 2 s; mpg's own pacing is off, so it meets 429s and retries.
    try await CommandHarness.with(rateLimit: (3, 2)) { harness in
      let run = try await harness.run(#"""
        let attempts = 0
        for i in range(8) {
          let n = orgs | length
          let attempts = $attempts + $last.attempts
        }
        echo ($attempts > 8)
        """#)
      #expect(run.status == 0, "\(run.transcript)")
      #expect(run.standardOutput == "true\n", "\(run.transcript)")
    }
  }

  @Test func clientPacingAvoidsRateLimits() async throws {
    try await CommandHarness.with(rateLimit: (3, 2)) { harness in
      let run = try await harness.runArguments(["--rate-limit", "3/2", "-c", #"""
        let retried = 0
        for i in range(7) {
          let n = orgs | length
          if $last.attempts > 1 { let retried = $retried + 1 }
        }
        echo $retried
        """#], environment: harness.keyEnvironment())
      #expect(run.status == 0, "\(run.transcript)")
      #expect(run.standardOutput == "0\n", "\(run.transcript)")
    }
  }
}
