import Foundation
import MPGTestSupport
import Testing

/// Every service command against the real emulator over HTTP and real PostgreSQL.
@Suite(.serialized)
struct LifecycleCommandTests {
  @Test func createWaitSqlPatchConfigRestartDelete() async throws {
    try await CommandHarness.with { harness in
      let run = try await harness.run(
        #"""
        let pg = create name=life provider=aws region=us-east-1 size=r6gd.medium postgresVersion="18"
        assert $last.status == 200 and $last.method == "POST"
        let pg = wait $pg --every 0.2s --quiet
        assert $pg.state == "running"
        # REF as an object, an id and a name
        let byObject = get $pg
        let byID = get $pg.id
        let byName = get life
        assert [$byObject.id, $byID.id, $byName.id] == [$pg.id, $pg.id, $pg.id]
        let names = list | map(.name)
        assert $names == ["life"]
        let count = ls | length
        assert $count == 1
        let organizations = orgs
        assert ($organizations | length) == 1
        let organization = org
        assert $organization.id == $organizations[0].id
        let rows = sql $pg "select 40 + 2 as answer, 'x' as s"
        assert $rows == [{answer: 42, s: "x"}]
        let created = sql $pg "create table t (id int)"
        assert $created == "CREATE TABLE"
        let inserted = sql $pg "insert into t values (1), (2)"
        assert $inserted == "INSERT 0 2"
        let n = sql $pg "select count(*) as n from t" | .[0].n
        assert $n == 2
        let renamed = patch $pg name=life2
        assert $renamed.name == "life2"
        let tagged = tag $pg env=dev team=data
        assert ($tagged.tags | map(.key)) == ["env", "team"]
        let untagged = untag $pg env
        assert ($untagged.tags | map(.key)) == ["team"]
        let applied = config $pg set max_connections=150 work_mem=8MB
        assert ($applied.message | test("max_connections"))
        let settings = config $pg
        assert $settings.pgConfig.work_mem == "8MB"
        let pem = certs $pg --save ca.pem
        assert ($pem | startswith("-----BEGIN CERTIFICATE-----"))
        let restarting = restart $pg
        assert $restarting.state == "restarting"
        let back = wait $pg --every 0.2s --quiet
        assert $back.state == "running"
        let one = sql $pg "select 1 as one"
        assert $one == [{one: 1}]
        let raw = api GET "/v1/organizations"
        assert ($raw | length) == 1
        delete $pg --yes
        wait $pg gone --every 0.2s --quiet
        let kept = credentials
        assert ($kept | length) == 0
        echo finished
        """#)
      #expect(run.status == 0, "\(run.transcript)")
      #expect(run.standardOutput.hasSuffix("finished\n"), "\(run.transcript)")
      let pem = try String(contentsOf: harness.home.appendingPathComponent("ca.pem"), encoding: .utf8)
      #expect(pem.hasPrefix("-----BEGIN CERTIFICATE-----"))
    }
  }

  @Test func connectRunsPsqlAndPrintHidesThePassword() async throws {
    try await CommandHarness.with { harness in
      let run = try await harness.run(
        #"""
        let pg = create name=psql-check provider=aws region=us-east-1 size=r6gd.medium
        let pg = wait $pg --every 0.2s --quiet
        connect $pg -c "select 'hello from ' || current_user as greeting"
        connect $pg --print
        """#)
      #expect(run.status == 0, "\(run.transcript)")
      #expect(run.standardOutput.contains("hello from postgres"), "\(run.transcript)")
      #expect(run.standardOutput.contains("postgres://postgres:********@127."), "\(run.transcript)")
      #expect(run.standardOutput.contains("sslmode=verify-full"), "\(run.transcript)")
    }
  }

  @Test func passwordResetIsKeptAndTheOldOneFails() async throws {
    try await CommandHarness.with { harness in
      let run = try await harness.run(
        #"""
        let pg = create name=rotate provider=aws region=us-east-1 size=r6gd.medium
        let pg = wait $pg --every 0.2s --quiet
        let first = sql $pg "select 1 as ok"
        let reset = password $pg --yes
        assert ($reset.password | length) >= 12
        let second = sql $pg "select 2 as ok"
        assert $second == [{ok: 2}]
        try { sql $pg "select 3" --password "Wrong-Password-123"; assert false "accepted" } catch e { assert $e.kind == "sql" }
        let chosen = password $pg "Chosen-Password-42x" --yes
        let fourth = sql $pg "select 4 as ok"
        assert $fourth == [{ok: 4}]
        echo rotated
        """#)
      #expect(run.status == 0, "\(run.transcript)")
      #expect(run.standardOutput.contains("rotated"), "\(run.transcript)")
    }
  }

  @Test func dryRunPrintsCurlAndSendsNothing() async throws {
    try await CommandHarness.with { harness in
      let run = try await harness.run(
        #"""
        let pg = create name=preview provider=aws region=us-east-1 size=r6gd.medium
        assert $pg.state == "creating" and $pg.name == "preview"
        let pg = wait $pg --every 0.2s
        patch $pg size=r6gd.large | .size
        """#, extra: ["--dry-run"])
      #expect(run.status == 0, "\(run.transcript)")
      #expect(
        run.standardOutput.contains(
          #"curl -s -X POST --user "$KEY_ID:$KEY_SECRET" -H 'Content-Type: application/json' -d '{"name":"preview""#),
        "\(run.transcript)")
      #expect(run.standardOutput.contains("-X PATCH"), "\(run.transcript)")
      // Answered by the throwaway twin: the size came back changed.
      #expect(run.standardOutput.contains("\"r6gd.large\""), "\(run.transcript)")
      let list = try await harness.run("list | length")
      #expect(list.standardOutput == "0\n", "\(list.transcript)")
    }
  }

  @Test func curlShowsTheLastRequestWithoutTheKey() async throws {
    try await CommandHarness.with { harness in
      let run = try await harness.run("orgs | length; curl")
      #expect(run.status == 0, "\(run.transcript)")
      #expect(
        run.standardOutput.contains(#"curl -s --user "$KEY_ID:$KEY_SECRET" '\#(harness.emulator.baseURL)/v1/organizations'"#),
        "\(run.transcript)")
      #expect(!run.standardOutput.contains(harness.emulator.keySecret))
    }
  }

  @Test func traceListsEachRequest() async throws {
    try await CommandHarness.with { harness in
      let run = try await harness.run("orgs | length", extra: ["--trace"])
      #expect(run.status == 0, "\(run.transcript)")
      #expect(run.standardError.contains("→ GET /v1/organizations 200"), "\(run.transcript)")
    }
  }
}
