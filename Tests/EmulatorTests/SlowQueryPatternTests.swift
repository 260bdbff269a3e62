import Foundation
import JQ
import Testing

extension ObservabilityTests {
  /// `GET …/{id}/slowQueryPatterns` and `…/slowQueryPatterns/{queryId}` from pg_stat_statements, with error
  /// counts and recent executions from the server log.
  @Suite("Slow query patterns from pg_stat_statements", .serialized)
  struct SlowQueryPatternTests {
    @Test func aQueryRun50TimesShowsUpWithItsCounts() async throws {
      try await ObservedService.with { service in
        var script =
          "create table items (id int primary key, label text);\ninsert into items select n, 'item ' || n from generate_series(1, 100) n;\n"
        for n in 1...50 { script += "select label from items where id = \(n);\n" }
        // One slow execution (past log_min_duration_statement) and two failures of one pattern.
        script += "select pg_sleep(0.15);\nselect 10 / 5;\nselect 10 / 0;\nselect 10 / 0;\n"
        _ = try service.psql(script, application: "inventory")
        try await service.waitForLog([("severity", "ERROR"), ("body_contains", "division by zero")], count: 2)
        try await service.waitForLog([("body_contains", "pg_sleep")], count: 1)
        let window = [("from_date", ObservedService.date(-300)), ("to_date", ObservedService.date(60))]

        let list = try await service.get("/slowQueryPatterns", window + [("sort_by", "call_count"), ("limit", "500")])
        #expect(list.status == 200, "\(list.text)")
        let patterns = list.json?["result"]?.arrayElements ?? []
        let lookup = try #require(
          patterns.first { $0["queryText"]?.stringValue == "select label from items where id = $1" }, "\(list.text)")
        #expect(lookup["callCount"]?.numberValue == 50)
        #expect(lookup["totalRows"]?.numberValue == 50)
        #expect(lookup["dbName"]?.stringValue == "postgres")
        #expect(lookup["dbUser"]?.stringValue == "postgres")
        #expect(lookup["dbOperation"]?.stringValue == "SELECT")
        #expect(lookup["errorCount"]?.numberValue == 0)
        let fields = [
          "queryId", "app", "totalDurationUs", "avgDurationUs", "maxDurationUs", "p50DurationUs", "p95DurationUs",
          "p99DurationUs",
          "totalSharedBlksRead", "totalSharedBlksHit", "totalCpuTimeUs", "totalWalBytes",
        ]
        for field in fields { #expect(lookup[field] != nil, "\(field)") }
        let calls = patterns.compactMap { $0["callCount"]?.numberValue }
        #expect(calls == calls.sorted(by: >), "sorted by call_count, descending")
        #expect(patterns.first?["callCount"]?.numberValue == 50)

        // The failures are counted from the log, under the pattern that also succeeded once.
        let division = try #require(patterns.first { $0["queryText"]?.stringValue == "select $1 / $2" }, "\(list.text)")
        #expect(division["callCount"]?.numberValue == 1)
        #expect(division["errorCount"]?.numberValue == 2)

        // Filters, order, paging.
        let inserts = try await service.get("/slowQueryPatterns", window + [("db_operation", "INSERT")])
        #expect(inserts.json?["result"]?.arrayElements?.allSatisfy { $0["dbOperation"]?.stringValue == "INSERT" } == true)
        #expect(inserts.json?["result"]?.count == 1)
        let otherDatabase = try await service.get("/slowQueryPatterns", window + [("db_name", "template1")])
        #expect(otherDatabase.json?["result"]?.count == 0)
        let ascending = try await service.get(
          "/slowQueryPatterns", window + [("sort_by", "call_count"), ("sort_order", "asc"), ("limit", "2"), ("offset", "1")])
        let page = ascending.json?["result"]?.arrayElements?.compactMap { $0["callCount"]?.numberValue } ?? []
        #expect(page.count == 2 && page == page.sorted())
        let slowest = try await service.get("/slowQueryPatterns", window + [("sort_by", "max_duration"), ("limit", "1")])
        #expect(slowest.json?["result"]?.arrayElements?.first?["queryText"]?.stringValue == "select pg_sleep($1)")
        // Nothing was tracked yet in 2020 (PostgreSQL 17 and later record when tracking began).
        let past = try await service.get(
          "/slowQueryPatterns", [("from_date", "2020-01-01T00:00:00Z"), ("to_date", "2020-01-02T00:00:00Z")])
        #expect(past.json?["result"]?.count == 0, "\(past.text)")
        let refused = try await service.get("/slowQueryPatterns", window + [("limit", "501")])
        #expect(refused.status == 400)
        #expect(refused.json?["error"]?.stringValue == "BAD_REQUEST: query parameter limit must be between 1 and 500, not 501")

        // The detail: the aggregate, and the slow execution from the log.
        let sleepID = try #require(slowest.json?["result"]?.arrayElements?.first?["queryId"]?.stringValue)
        let identity = [("db_name", "postgres"), ("db_user", "postgres"), ("db_operation", "SELECT")]
        let detail = try await service.get("/slowQueryPatterns/\(sleepID)", identity)
        #expect(detail.status == 200, "\(detail.text)")
        #expect(detail.json?["result"]?["aggregate"]?["callCount"]?.numberValue == 1)
        let execution = try #require(detail.json?["result"]?["recentExecutions"]?.arrayElements?.first, "\(detail.text)")
        #expect((execution["durationUs"]?.numberValue ?? 0) >= 150_000)
        #expect(execution["app"]?.stringValue == "inventory")
        #expect(execution["serverRole"]?.stringValue == "primary")
        #expect(execution["errMessage"] == nil)

        let divisionID = try #require(division["queryId"]?.stringValue)
        let failures = try await service.get("/slowQueryPatterns/\(divisionID)", identity)
        let errors = failures.json?["result"]?["recentExecutions"]?.arrayElements ?? []
        #expect(errors.count == 2)
        #expect(errors.first?["errMessage"]?.stringValue == "division by zero")
        #expect(errors.first?["errSqlstate"]?.stringValue == "22012")

        let missing = try await service.get("/slowQueryPatterns/\(sleepID)", [("db_name", "postgres"), ("db_user", "postgres")])
        #expect(missing.json?["error"]?.stringValue == "BAD_REQUEST: query parameter db_operation is required")
        let unknown = try await service.get("/slowQueryPatterns/12345", identity)
        #expect(unknown.status == 404)
      }
    }
  }
}
