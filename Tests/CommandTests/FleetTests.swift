import Dispatch
import Emulator
import Foundation
import MPGTestSupport
import Testing

/// Fleets against the real emulator: `wait` over many services (one list per round), `parallel for`
/// with API commands, the shared pacer under the cloud's limit, and Ctrl-C during a parallel run.
@Suite(.serialized)
struct FleetTests {
  /// Three services made at once, then waited for in every way a fleet wait is written.
  static let makeFleet = """
    parallel for n in range(3) { let _ = create name="fleet-\\($n)" provider=aws region=us-east-1 size=r8gd.medium }
    let fleet = list | sort_by(.name)
    """

  @Test func waitOverManyServicesPollsTheListOnly() async throws {
    try await CommandHarness.with { harness in
      let run = try await harness.run(
        Self.makeFleet + """

          wait $fleet | map(.state) | unique
          wait $fleet[] | length
          wait fleet-0 fleet-2 | map(.name)
          wait $fleet until (.name == "fleet-1") --any | map(.name)
          wait $fleet until (.state == "running") | length
          parallel for s in $fleet[] { delete $s --yes }
          wait $fleet gone
          list | length
          wait [] | length
          """, extra: ["--trace", "--compact"])
      #expect(run.status == 0, "\(run.transcript)")
      #expect(run.standardOutput == "[\"running\"]\n3\n[\"fleet-0\",\"fleet-2\"]\n[\"fleet-1\"]\n3\n0\n0\n", "\(run.transcript)")
      // Every poll is the list: no service was fetched on its own.
      let singleGets = run.standardError.split(separator: "\n").filter { $0.contains("→ GET ") && $0.contains("/postgres/") }
      #expect(singleGets.isEmpty, "\(run.standardError)")
      #expect(run.standardError.contains("fleet-1: deleting → gone"), "\(run.standardError)")
    }
  }

  @Test func failIfAndTimeoutNameTheServices() async throws {
    try await CommandHarness.with { harness in
      let run = try await harness.run(
        Self.makeFleet + """

          let _ = wait $fleet --quiet
          try { wait $fleet until (false) --fail-if (.name == "fleet-1") } catch e { echo "\\($e.kind): \\($e.message)"; echo $e.value.name }
          try { wait $fleet until (false) --timeout 1s } catch e { echo "\\($e.kind): \\($e.message)"; echo ($e.value | length) }
          try { wait $fleet no-such-service } catch e { echo "\\($e.kind): \\($e.message)" }
          wait $fleet --fail-if (.name == "fleet-2") | length
          """)
      #expect(run.status == 0, "\(run.transcript)")
      let lines = run.standardOutput.split(separator: "\n").map(String.init)
      #expect(lines.count == 6, "\(run.transcript)")
      #expect(lines.first?.hasPrefix("wait: service fleet-1 (") == true, "\(run.transcript)")
      #expect(
        lines.first?.hasSuffix(#"is running: stopped waiting because (.name == "fleet-1") holds"#) == true, "\(run.transcript)")
      #expect(lines.dropFirst().first == "fleet-1")
      #expect(
        lines.dropFirst(2).first?.hasPrefix("timeout: gave up waiting after 1.0s: 3 of 3 not there yet (fleet-0 is running")
          == true, "\(run.transcript)")
      #expect(lines.dropFirst(3).first == "3")
      // The same words as for one service: which services there are.
      #expect(
        lines.dropFirst(4).first?.hasPrefix(
          "not_found: no service is named `no-such-service` (services: fleet-0, fleet-1, fleet-2)") == true,
        "\(run.transcript)")
      #expect(lines.dropFirst(5).first == "3", "\(run.transcript)")
      // Everything runs, so the default goal holds at once and --fail-if is never asked.
      #expect(!run.standardError.contains("fleet-2 ("), "\(run.transcript)")
    }
  }

  @Test func parallelIterationsUnderTheCloudsLimitMeetNo429() async throws {
    try await CommandHarness.with(rateLimit: (10, 10)) { harness in
      // 14 lists from 8 iterations at once, with mpg's own pacing (10 per 10 s) as against the cloud.
      let run = try await harness.runArguments(
        ["--trace", "-c", "parallel for n in range(14) --jobs 8 --no-label { let services = list }\necho done"],
        environment: harness.keyEnvironment())
      #expect(run.status == 0, "\(run.transcript)")
      #expect(run.standardOutput == "done\n")
      #expect(!run.standardError.contains(" 429 "), "\(run.standardError)")
      #expect(harness.emulator.requestsRateLimited == 0)
      #expect(run.standardError.contains("waiting"), "the pacer should have held some requests back: \(run.standardError)")
    }
  }

  @Test func aFleetThatMeetsThe429sStillFinishes() async throws {
    try await CommandHarness.with(rateLimit: (3, 2)) { harness in
      // No pacing of its own: the emulator's 429s pause every iteration until its reset.
      let run = try await harness.run("parallel for n in range(8) --jobs 8 --no-label { let services = list }\necho done")
      #expect(run.status == 0, "\(run.transcript)")
      #expect(run.standardOutput == "done\n")
      #expect(harness.emulator.requestsRateLimited > 0)
    }
  }

  @Test func ctrlCStopsEveryIterationAndNothingIsSentAfterwards() async throws {
    try await CommandHarness.with { harness in
      let made = try await harness.run(Self.makeFleet + "\nwait $fleet | length")
      #expect(made.standardOutput == "3\n", "\(made.transcript)")
      let environment = harness.environment.merging(harness.keyEnvironment()) { $1 }
      let directory = harness.home
      // Each iteration polls its service for ever; Ctrl-C comes after two seconds.
      let code = """
        let fleet = list
        parallel for s in $fleet[] { wait $s until (false) --every 100ms }
        echo never
        """
      let run = try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
          continuation.resume(
            with: Result {
              try MPGProcess.run(
                ["--rate-limit", "off", "-c", code], directory: directory, environment: environment, interruptAfter: 2)
            })
        }
      }
      #expect(run.status == 130, "\(run.transcript)")
      #expect(run.standardError.contains("mpg: interrupted"), "\(run.transcript)")
      #expect(!run.standardOutput.contains("never"))
      // mpg has exited (MPGProcess reaped it): the emulator hears nothing more from it.
      let after = harness.emulator.requestsReceived
      try await Task.sleep(nanoseconds: 1_000_000_000)
      #expect(harness.emulator.requestsReceived == after)
      let cleaned = try await harness.run("let fleet = list\nparallel for s in $fleet[] { delete $s --yes }\nwait $fleet gone")
      #expect(cleaned.status == 0, "\(cleaned.transcript)")
    }
  }
}
