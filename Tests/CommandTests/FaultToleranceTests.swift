import Foundation
import MPGTestSupport
import Testing

/// 30 runs of create → wait → connect while the emulator fails 30% of requests on purpose (500,
/// 503, 429, dropped connections, slow answers, answers lost after the effect): every run succeeds and
/// none creates a duplicate.
@Suite(.serialized)
struct FaultToleranceTests {
  static let runbook = #"""
    let name = $args[0]
    let pg = create name=$name provider=aws region=us-east-1 size=r6gd.medium
    let pg = wait $pg --every 0.2s --quiet
    let rows = sql $pg "select 1 as ok"
    assert $rows == [{ok: 1}]
    echo "ok \($name)"
    """#

  @Test func createWaitConnectSurvivesInjectedFaultsWithoutDuplicates() async throws {
    try await CommandHarness.with(faultRate: 0.3, faultSeed: 2026) { harness in
      let script = harness.home.appendingPathComponent("faulty.mpg")
      try Self.runbook.write(to: script, atomically: true, encoding: .utf8)
      for index in 0..<30 {
        let run = try await harness.runArguments(
          harness.connectionArguments() + [script.path, "svc-\(index)"], environment: harness.keyEnvironment())
        #expect(run.status == 0, "run \(index): \(run.transcript)")
        #expect(run.standardOutput.contains("ok svc-\(index)"), "run \(index): \(run.transcript)")
      }
      // No create was sent twice: 30 services, one of each name (the list itself may meet a fault; mpg retries it).
      let count = try await harness.run(#"list | map(.name) | group_by(.) | map(length) | max"#)
      #expect(count.standardOutput == "1\n", "\(count.transcript)")
      let total = try await harness.run(#"list | length"#)
      #expect(total.standardOutput == "30\n", "\(total.transcript)")
    }
  }

  /// The worst case for a client, on every other request: the request took effect, then its answer was
  /// lost. Creates are not sent twice (mpg finds the service that appeared and resets its password to
  /// capture one), a restart is not repeated (the service is seen busy with it), a delete whose answer
  /// was lost is done, and nothing fails.
  @Test func answersLostAfterTheEffectDuplicateNothing() async throws {
    try await CommandHarness.with(faultRate: 0.5, faultSeed: 11, faultKinds: ["lost"]) { harness in
      var recoveredCreates = 0
      for index in 0..<6 {
        let run = try await harness.run(
          #"""
          let pg = create name=lost-\#(index) provider=aws region=us-east-1 size=r6gd.medium
          let pg = wait $pg --every 0.2s --quiet
          let rows = sql $pg "select 1 as ok"
          assert $rows == [{ok: 1}]
          restart $pg
          let pg = wait $pg --every 0.2s --quiet
          echo "ok \($pg.name)"
          """#)
        #expect(run.status == 0, "run \(index): \(run.transcript)")
        #expect(run.standardOutput.contains("ok lost-\(index)"), "run \(index): \(run.transcript)")
        if run.standardError.contains("the create's answer was lost") { recoveredCreates += 1 }
      }
      // Each create's answer is lost with a chance of one half: with this seed some were.
      #expect(recoveredCreates > 0, "no create lost its answer: the test proved nothing")
      let names = try await harness.run(#"list | map(.name) | sort"#, extra: ["--compact"])
      #expect(names.standardOutput == #"["lost-0","lost-1","lost-2","lost-3","lost-4","lost-5"]"# + "\n", "\(names.transcript)")
      let deleted = try await harness.run(
        #"let ids = list | map(.id); for id in $ids[] { delete $id --yes; wait $id gone --every 0.2s --quiet }; list | length"#)
      #expect(deleted.status == 0 && deleted.standardOutput.hasSuffix("0\n"), "\(deleted.transcript)")
    }
  }
}
