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
      #expect(
        run.standardError.contains("  hint: the API refused the key from the environment: check CLICKHOUSE_CLOUD_API_KEY"),
        "\(run.transcript)")
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
      let run = try await harness.run(
        #"""
        # Checked before sending, located at the field, with a suggestion:
        try { create name=bad provider=aws region=us-east-1 size=r8g.large } catch e {
          assert $e.kind == "usage"
          assert ($e.message | test("did you mean r8gd.large"))
        }
        # The API's own check, reached through `api`, which sends bodies as they are:
        let o = org
        try {
          api POST "/v1/organizations/\($o.id)/postgres" {name: "bad", provider: "aws", region: "us-east-1", size: "r8g.large"}
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
      let run = try await harness.run(
        #"""
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
      let run = try await harness.run(
        #"""
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
      // Same rule on both sides: the pacer's margin covers the way to the server. --trace shows every
      // answer; none may be a 429. (A retry after the server closed an idle kept-alive connection is
      // not a rate limit, so attempts alone would not tell.)
      let run = try await harness.runArguments(
        [
          "--rate-limit", "3/2", "--trace", "-c",
          #"""
          for i in range(7) { let n = orgs | length }
          echo done
          """#,
        ], environment: harness.keyEnvironment())
      #expect(run.status == 0, "\(run.transcript)")
      #expect(run.standardOutput == "done\n", "\(run.transcript)")
      #expect(run.standardError.components(separatedBy: "→ GET /v1/organizations 200").count - 1 >= 7, "\(run.transcript)")
      #expect(!run.standardError.contains(" 429 "), "\(run.transcript)")
    }
  }
}

/// Bodies are checked against the spec's rules before anything is sent.
struct ClientSideValidationTests {
  @Test(arguments: [
    (
      "create name=x provider=aws region=us-east-1 size=r8g.large", "size \"r8g.large\" is not one of the aws sizes",
      "did you mean r8gd.large?"
    ),
    (
      "create name=x provider=aws region=us-east-1 size=r8gd.large haType=asyn",
      "haType \"asyn\" is not one of none, async, sync", "did you mean async?"
    ),
    ("create name=x provider=azure region=r size=r8gd.large", "provider", "aws"),
    ("password 00000000-0000-4000-8000-000000000000 short", "the new password must be 12 to 1024 characters long", "^~~~~"),
    (
      "config 00000000-0000-4000-8000-000000000000 set work_mme=1MB", "pgConfig.work_mme is not one of the supported settings",
      "did you mean work_mem?"
    ),
  ])
  func refusedBeforeSending(code: String, message: String, detail: String) throws {
    // --dry-run: nothing would be sent anyway; the check happens before.
    let run = try MPGProcess.run(["--dry-run", "--key-id", "k", "--key-secret", "s", "--org", "o", "-c", code])
    #expect(run.status == 2, "\(run.standardError)")
    #expect(run.standardError.contains(message), "\(run.standardError)")
    #expect(run.standardError.contains(detail), "\(run.standardError)")
    #expect(run.standardOutput.isEmpty, "nothing is previewed: \(run.standardOutput)")
  }
}
