import Foundation
import JQ
import Testing

extension ObservabilityTests {
  /// `GET …/{id}/metrics`: the emulator's periodic samples, bucketed in the spec's `PostgresMetrics` shape,
  /// and the query parameters' rules.
  @Suite("Sampled metrics from real clusters", .serialized)
  struct MetricsEndpointTests {
    private static func metric(_ reply: EmulatorHarness.Reply, _ key: String) -> JSONValue? {
      reply.json?["result"]?["metrics"]?.arrayElements?.first { $0["key"]?.stringValue == key }
    }

    private static func points(_ metric: JSONValue?, _ label: String) -> [JSONValue] {
      metric?["series"]?.arrayElements?.first { $0["label"]?.stringValue == label }?["dataPoints"]?.arrayElements ?? []
    }

    @Test func samplesShowTheWorkload() async throws {
      try await ObservedService.with { service in
        let from = ObservedService.date(-60)
        try await Task.sleep(nanoseconds: 500_000_000)
        #expect(try service.psql("create table t (id int); insert into t select generate_series(1, 5000);\n").status == 0)

        // The rate needs a sample after the insert; on a loaded machine the next one can take a while.
        var reply = try await service.get(
          "/metrics", [("from_date", from), ("to_date", ObservedService.date(5)), ("bucket_size_seconds", "1")])
        let deadline = Date().addingTimeInterval(30)
        while Self.points(Self.metric(reply, "rows"), "Inserted").allSatisfy({ ($0["value"]?.numberValue ?? 0) == 0 }),
          Date() < deadline
        {
          try await Task.sleep(nanoseconds: 200_000_000)
          reply = try await service.get(
            "/metrics", [("from_date", from), ("to_date", ObservedService.date(5)), ("bucket_size_seconds", "1")])
        }
        #expect(reply.status == 200, "\(reply.text)")
        let keys = reply.json?["result"]?["metrics"]?.arrayElements?.compactMap { $0["key"]?.stringValue } ?? []
        #expect(keys == ["connection_count", "transactions", "rows", "database_size", "cache_hit_ratio"])
        for metric in reply.json?["result"]?["metrics"]?.arrayElements ?? [] {
          for field in ["name", "unit", "description"] { #expect(metric[field]?.stringValue?.isEmpty == false) }
        }
        let inserted = Self.points(Self.metric(reply, "rows"), "Inserted").compactMap { $0["value"]?.numberValue }
        #expect(inserted.contains { $0 > 0 }, "rows inserted per second: \(inserted)")
        let committed = Self.points(Self.metric(reply, "transactions"), "Committed").compactMap { $0["value"]?.numberValue }
        #expect(committed.contains { $0 > 0 })
        let sizes = Self.points(Self.metric(reply, "database_size"), "postgres")
        #expect(sizes.contains { ($0["value"]?.numberValue ?? 0) > 1_000_000 })
        let ratio = Self.points(Self.metric(reply, "cache_hit_ratio"), "Shared buffers").compactMap { $0["value"]?.numberValue }
        #expect(!ratio.isEmpty && ratio.allSatisfy { (0...100).contains($0) })
        // Points are bucket starts in whole seconds, in order, within the window.
        let times = sizes.compactMap { $0["timestamp"]?.numberValue }
        #expect(times == times.sorted() && Set(times).count == times.count)
        #expect(times.allSatisfy { $0 >= Date().timeIntervalSince1970 - 61 })

        // A long window with one-second buckets is capped at 250 points per series.
        let day = try await service.get(
          "/metrics",
          [("from_date", ObservedService.date(-86400)), ("to_date", ObservedService.date(1)), ("bucket_size_seconds", "1")])
        #expect(day.status == 200)
        let counts =
          day.json?["result"]?["metrics"]?.arrayElements?.flatMap { $0["series"]?.arrayElements ?? [] }.map {
            $0["dataPoints"]?.count ?? 0
          } ?? []
        #expect(!counts.isEmpty && counts.allSatisfy { $0 <= 250 })
        let derived = try await service.get("/metrics", [("from_date", from), ("to_date", ObservedService.date(1))])
        #expect(derived.status == 200)
      }
    }

    /// The rules themselves are in QueryParametersTests; here they reach the client as 400s in the envelope.
    @Test func badParametersAre400() async throws {
      try await EmulatorHarness.with { harness in
        let created = try await harness.send(
          .POST, harness.postgresPath, body: #"{"name": "m", "provider": "aws", "region": "us-east-1", "size": "r8gd.large"}"#)
        let id = try #require(created.json?["result"]?["id"]?.stringValue)
        let cases: [([(String, String)], String)] = [
          ([("to_date", "2026-01-01T00:00:00Z")], "BAD_REQUEST: query parameter from_date is required"),
          (
            [("from_date", "2026-01-02T00:00:00+01:00"), ("to_date", "2026-01-01T00:00:00Z")],
            "BAD_REQUEST: to_date must be after from_date (from_date 2026-01-02T00:00:00+01:00, to_date 2026-01-01T00:00:00Z)"
          ),
          (
            [("from_date", "2026-01-01T00:00:00Z"), ("to_date", "2026-01-01T01:00:00Z"), ("bucket_size_seconds", "0")],
            "BAD_REQUEST: query parameter bucket_size_seconds must be at least 1, not 0"
          ),
        ]
        for (parameters, expected) in cases {
          let reply = try await harness.send(.GET, harness.postgresPath + "/\(id)/metrics" + ObservedService.query(parameters))
          #expect(reply.status == 400)
          #expect(reply.json?["error"]?.stringValue == expected)
        }
      }
    }
  }
}
