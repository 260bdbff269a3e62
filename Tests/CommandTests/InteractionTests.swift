import Foundation
import MPGTestSupport
import Testing

/// What a person at a terminal does: answers a question, presses Ctrl-C.
@Suite(.serialized)
struct InteractionTests {
  @Test func ctrlCDuringWaitStopsWaitingAndLeavesTheService() async throws {
    try await CommandHarness.with { harness in
      let setup = try await harness.run(
        #"let pg = create name=patient provider=aws region=us-east-1 size=r6gd.medium; echo $pg.id"#)
      #expect(setup.status == 0, "\(setup.transcript)")
      let environment = harness.environment.merging(harness.keyEnvironment()) { $1 }
      let directory = harness.home
      let run = try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
          continuation.resume(
            with: Result {
              // The service is running long before: waiting for something that never holds.
              try MPGProcess.run(
                ["--rate-limit", "off", "-c", #"wait patient until (.state == "never") --every 0.2s; echo unreachable"#],
                directory: directory, environment: environment, interruptAfter: 2)
            })
        }
      }
      #expect(run.status == 130, "\(run.transcript)")
      #expect(!run.standardOutput.contains("unreachable"))
      let after = try await harness.run("list | map(.name)")
      #expect(after.standardOutput.contains("patient"), "\(after.transcript)")
      let caught = try await harness.run(
        #"""
        try { wait patient until (.state == "never") --every 0.2s --timeout 1s } catch e { echo $e.kind }
        """#)
      #expect(caught.standardOutput == "timeout\n", "\(caught.transcript)")
    }
  }

  /// On a terminal `delete` asks; anything but yes cancels with exit code 3 and deletes nothing.
  @Test func deleteAsksOnATerminal() async throws {
    try await CommandHarness.with { harness in
      let setup = try await harness.run(
        #"let pg = create name=keep provider=aws region=us-east-1 size=r6gd.medium; let pg = wait $pg --every 0.2s --quiet"#)
      #expect(setup.status == 0, "\(setup.transcript)")
      let mpg = MPGProcess.executableURL.path
      // util-linux `script` gives mpg a pseudo-terminal; the answer arrives on it.
      let command = "\(mpg) --rate-limit off -c 'delete keep'"
      let declined = try await harness.runArguments(
        ["-qec", command, "/dev/null"], input: "n\n", environment: harness.keyEnvironment(), executable: "/usr/bin/script")
      #expect(declined.status == 3, "\(declined.transcript)")
      // What will go, before the question: name, id, state, age and tags.
      #expect(declined.standardOutput.contains("Delete Postgres service keep (id "), "\(declined.transcript)")
      #expect(declined.standardOutput.contains(", running, created "), "\(declined.transcript)")
      #expect(declined.standardOutput.contains(" ago, no tags)"), "\(declined.transcript)")
      #expect(declined.standardOutput.contains("this cannot be undone. Go ahead? [y/N]"), "\(declined.transcript)")
      let still = try await harness.run("list | length")
      #expect(still.standardOutput == "1\n", "\(still.transcript)")
      let accepted = try await harness.runArguments(
        ["-qec", command, "/dev/null"], input: "yes\n", environment: harness.keyEnvironment(), executable: "/usr/bin/script")
      #expect(accepted.status == 0, "\(accepted.transcript)")
    }
  }
}
