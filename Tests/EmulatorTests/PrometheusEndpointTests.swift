import Foundation
import JQ
import Testing

extension ObservabilityTests {
  /// `GET …/{id}/prometheus` and the organization-wide `GET …/postgres/prometheus` answer Prometheus text
  /// with real values from the cluster.
  @Suite("Prometheus text from real clusters", .serialized)
  struct PrometheusEndpointTests {
    /// Samples as `name{labels} value`, keyed by name, for the checks below.
    private static func samples(_ text: String) -> [String: [(labels: String, value: Double)]] {
      var samples: [String: [(labels: String, value: Double)]] = [:]
      for line in text.split(separator: "\n") where !line.hasPrefix("#") {
        guard let brace = line.firstIndex(of: "{"), let close = line.lastIndex(of: "}"),
          let value = Double(line[line.index(after: close)...].trimmingCharacters(in: .whitespaces))
        else { continue }
        samples[String(line[..<brace]), default: []].append((String(line[line.index(after: brace)..<close]), value))
      }
      return samples
    }

    @Test func serviceTextCarriesRealValues() async throws {
      try await ObservedService.with { service in
        let script = "create table counted (id int); insert into counted select generate_series(1, 1234);\n"
        #expect(try service.psql(script).status == 0)
        let reply = try await service.get("/prometheus")
        #expect(reply.status == 200)
        #expect(reply.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        let text = reply.text
        #expect(text.contains("# HELP mpg_postgres_up "))
        #expect(text.contains("# TYPE mpg_postgres_rows_inserted_total counter"))
        let samples = Self.samples(text)
        let labels = "service_id=\"\(service.id)\",service_name=\"\(service.name)\""
        #expect(samples["mpg_postgres_up"]?.first { $0.labels == labels }?.value == 1)
        #expect(samples["mpg_postgres_state"]?.first?.labels.contains("state=\"running\"") == true)
        let inserted =
          samples["mpg_postgres_rows_inserted_total"]?.first { $0.labels.contains("database=\"postgres\"") }?.value ?? 0
        #expect(inserted >= 1234)
        let size = samples["mpg_postgres_database_size_bytes"]?.first { $0.labels.contains("database=\"postgres\"") }?.value ?? 0
        #expect(size > 1_000_000)
        #expect((samples["mpg_postgres_transactions_committed_total"]?.first?.value ?? 0) > 0)
        #expect(samples["mpg_postgres_max_connections"]?.first?.value ?? 0 >= 1)
        #expect(samples["mpg_postgres_in_recovery"]?.first?.value == 0)
        #expect(samples["mpg_postgres_replication_lag_seconds"]?.first?.value == 0)
        let started = samples["mpg_postgres_start_time_seconds"]?.first?.value ?? 0
        #expect(abs(started - Date().timeIntervalSince1970) < 600)

        // Every family has HELP and TYPE before its samples, and a real parser reads it all.
        try Self.parseWithPrometheusClient(text)

        let organization = try await service.harness.send(.GET, service.harness.postgresPath + "/prometheus")
        #expect(organization.status == 200)
        #expect(Self.samples(organization.text)["mpg_postgres_up"]?.contains { $0.labels == labels && $0.value == 1 } == true)
      }
    }

    @Test func aReplicaReportsRecoveryAndLag() async throws {
      try await EmulatorHarness.with(backupDelay: 1) { harness in
        let body = #"{"name": "lagged", "provider": "aws", "region": "us-east-1", "size": "r8gd.large"}"#
        let primaryID = try #require(
          try await harness.send(.POST, harness.postgresPath, body: body).json?["result"]?["id"]?.stringValue)
        _ = try await harness.wait(for: "running", primaryID)
        _ = try await harness.waitForBackup(primaryID)
        let replica = try await harness.send(
          .POST, harness.postgresPath + "/\(primaryID)/readReplica", body: #"{"name": "follower"}"#)
        let replicaID = try #require(replica.json?["result"]?["id"]?.stringValue, "\(replica.text)")
        _ = try await harness.wait(for: "running", replicaID)

        let text = try await harness.send(.GET, harness.postgresPath + "/prometheus").text
        let samples = Self.samples(text)
        func value(_ name: String, _ id: String) -> Double? {
          samples[name]?.first { $0.labels.hasPrefix("service_id=\"\(id)\"") }?.value
        }
        #expect(value("mpg_postgres_up", replicaID) == 1)
        #expect(value("mpg_postgres_in_recovery", replicaID) == 1)
        #expect(value("mpg_postgres_in_recovery", primaryID) == 0)
        let lag = try #require(value("mpg_postgres_replication_lag_seconds", replicaID), "\(text)")
        #expect(lag >= 0 && lag < 600)
        #expect(
          samples["mpg_postgres_info"]?.contains { $0.labels.contains(replicaID) && $0.labels.contains("is_primary=\"false\"") }
            == true)
      }
    }

    @Test func unknownServiceIsABadRequest() async throws {
      try await EmulatorHarness.with { harness in
        let reply = try await harness.send(.GET, harness.postgresPath + "/\(UUID().uuidString.lowercased())/prometheus")
        #expect(reply.status == 400)
        #expect(reply.json?["error"]?.stringValue?.hasPrefix("BAD_REQUEST: Invalid Postgres service id") == true)
        let empty = try await harness.send(.GET, harness.postgresPath + "/prometheus")
        #expect(empty.status == 200)
        #expect(empty.text.contains("# TYPE mpg_postgres_up gauge"))
        let otherOrganization = try await harness.send(
          .GET, "/v1/organizations/\(UUID().uuidString.lowercased())/postgres/prometheus")
        #expect(otherOrganization.status == 404)
        #expect(otherOrganization.json?["error"]?.stringValue == "NOT_FOUND")
      }
    }

    /// Runs prometheus_client's text parser (Debian's python3-prometheus-client) when it is installed.
    private static func parseWithPrometheusClient(_ text: String) throws {
      let python = "/usr/bin/python3"
      let check = Process()
      check.executableURL = URL(fileURLWithPath: python)
      check.arguments = ["-c", "import prometheus_client.parser"]
      check.standardError = Pipe()
      guard FileManager.default.isExecutableFile(atPath: python), (try? check.run()) != nil else { return }
      check.waitUntilExit()
      guard check.terminationStatus == 0 else { return }
      let script = """
        import sys
        from prometheus_client.parser import text_string_to_metric_families
        families = list(text_string_to_metric_families(sys.stdin.read()))
        names = {f.name for f in families}
        for needed in ["mpg_postgres_up", "mpg_postgres_rows_inserted", "mpg_postgres_database_size_bytes"]:
            assert needed in names, (needed, sorted(names))
        print(len(families))
        """
      let process = Process()
      process.executableURL = URL(fileURLWithPath: python)
      process.arguments = ["-c", script]
      let input = Pipe(), output = Pipe()
      process.standardInput = input
      process.standardOutput = output
      process.standardError = output
      try process.run()
      input.fileHandleForWriting.write(Data(text.utf8))
      try input.fileHandleForWriting.close()
      let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      process.waitUntilExit()
      #expect(process.terminationStatus == 0, "prometheus_client could not parse the text: \(printed)")
    }
  }
}
