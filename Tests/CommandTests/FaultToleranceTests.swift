import Foundation
import MPGTestSupport
import Testing

/// 30 runs of create → wait → connect while the emulator fails 30% of requests on purpose (500,
/// 503, 429, dropped connections, slow answers): every run succeeds and none creates a duplicate.
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
        let run = try await harness.runArguments(harness.connectionArguments() + [script.path, "svc-\(index)"], environment: harness.keyEnvironment())
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
}
