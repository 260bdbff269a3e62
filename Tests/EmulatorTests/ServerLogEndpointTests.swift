import Foundation
import JQ
import Testing

extension ObservabilityTests {
  /// `GET …/{id}/logs`: the cluster's real server log (jsonlog), filtered, ordered and paged.
  @Suite("Server logs of real clusters", .serialized)
  struct ServerLogEndpointTests {
    @Test func aDeliberateErrorShowsUpWithItsSeverity() async throws {
      try await ObservedService.with { service in
        let from = ObservedService.date(-5)
        let failed = try service.psql("select * from no_such_table_here;\nselect 1;\nselect * from no_such_table_either;\n")
        #expect(failed.output.contains("does not exist"))
        try await service.waitForLog([("severity", "ERROR")], count: 2)
        let window = [("from_date", from), ("to_date", ObservedService.date(60))]

        let all = try await service.get("/logs", window + [("limit", "2000")])
        #expect(all.status == 200, "\(all.text)")
        let entries = all.json?["result"]?.arrayElements ?? []
        let times = entries.compactMap { $0["timestamp"]?.stringValue }
        #expect(times == times.sorted(by: >), "most recent first by default")
        for entry in entries {
          #expect(entry["timestamp"]?.stringValue?.hasSuffix("Z") == true)
          #expect(entry["severity"]?.stringValue?.isEmpty == false)
        }

        let errors = try await service.get("/logs", window + [("severity", "ERROR"), ("sort_order", "asc")])
        let bodies = errors.json?["result"]?.arrayElements?.compactMap { $0["body"]?.stringValue } ?? []
        #expect(bodies.count == 2, "\(errors.text)")
        #expect(bodies.first?.hasPrefix(#"relation "no_such_table_here" does not exist"#) == true)
        #expect(bodies.first?.contains("STATEMENT:  select * from no_such_table_here;") == true)
        #expect(bodies.last?.contains("no_such_table_either") == true)

        let matching = try await service.get("/logs", window + [("body_contains", "no_such_table_either")])
        #expect(matching.json?["result"]?.count == 1)
        let caseSensitive = try await service.get("/logs", window + [("body_contains", "NO_SUCH_TABLE")])
        #expect(caseSensitive.json?["result"]?.count == 0)
        let second = try await service.get(
          "/logs", window + [("severity", "ERROR"), ("sort_order", "asc"), ("limit", "1"), ("offset", "1")])
        #expect(second.json?["result"]?.arrayElements?.first?["body"]?.stringValue?.contains("no_such_table_either") == true)
        #expect(second.json?["result"]?.count == 1)

        let before = try await service.get("/logs", [("from_date", "2020-01-01T00:00:00Z"), ("to_date", "2020-01-02T00:00:00Z")])
        #expect(before.json?["result"]?.count == 0)
        let long = try await service.get("/logs", [("from_date", "2026-01-01T00:00:00Z"), ("to_date", "2026-03-01T00:00:00Z")])
        #expect(long.status == 400)
        #expect(
          long.json?["error"]?.stringValue == "BAD_REQUEST: the time range from from_date to to_date must not exceed 30 days")
        let inverted = try await service.get(
          "/logs", [("from_date", ObservedService.date(0)), ("to_date", ObservedService.date(-60))])
        #expect(inverted.status == 400)
        #expect(inverted.json?["error"]?.stringValue?.hasPrefix("BAD_REQUEST: to_date must be after from_date") == true)
        let missing = try await service.get("/logs", [("to_date", ObservedService.date(0))])
        #expect(missing.json?["error"]?.stringValue == "BAD_REQUEST: query parameter from_date is required")
      }
    }
  }
}
