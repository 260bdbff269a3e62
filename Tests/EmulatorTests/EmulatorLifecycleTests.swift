import Foundation
import JQ
import Testing

/// A service's whole life on real PostgreSQL: create → running → psql over TLS → password →
/// config → restart → delete.
@Suite("Emulator lifecycle on real clusters", .serialized)
struct EmulatorLifecycleTests {
  private static let createBody =
    #"{"name": "life", "provider": "aws", "region": "us-east-1", "size": "r8gd.large", "storageSize": 118, "tags": [{"key": "env", "value": "test"}]}"#

  /// Polls GET until the service reaches `state` (or fails after `seconds`).
  private func wait(_ harness: EmulatorHarness, _ id: String, for state: String, seconds: Double = 60) async throws -> JSONValue {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      let reply = try await harness.send(.GET, harness.postgresPath + "/" + id)
      if let service = reply.json?["result"], service["state"]?.stringValue == state { return service }
      try await Task.sleep(nanoseconds: 50_000_000)
    }
    throw TestFailure("service \(id) did not reach \(state) in \(seconds) s")
  }

  /// Runs `select …` through psql over TLS with the password in the environment (never in argv).
  private func psql(host: String, port: Int, password: String, caFile: String, _ sql: String) throws -> (
    status: Int32, output: String
  ) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
    process.arguments = [
      "-X", "-A", "-t", "-c", sql,
      "host=\(host) port=\(port) user=postgres dbname=postgres sslmode=verify-full sslrootcert=\(caFile) channel_binding=require connect_timeout=5",
    ]
    process.environment = ["PGPASSWORD": password, "PATH": "/usr/bin:/bin"]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
  }

  @Test func createConnectChangeAndDelete() async throws {
    try await EmulatorHarness.with { harness in
      let created = try await harness.send(.POST, harness.postgresPath, body: Self.createBody)
      #expect(created.status == 200)
      let service = try #require(created.json?["result"])
      let id = try #require(service["id"]?.stringValue)
      let password = try #require(service["password"]?.stringValue)
      #expect(service["state"]?.stringValue == "creating")
      #expect(service["connectionString"]?.stringValue?.hasPrefix("postgres://postgres:") == true)
      #expect(service["storageSize"]?.numberValue == 118)
      #expect(service["postgresVersion"]?.stringValue == "17")

      let running = try await wait(harness, id, for: "running")
      #expect(running["password"] == nil, "GET must not show the password")
      #expect(running["connectionString"] == nil, "GET must not show the connection string")
      let host = try #require(running["hostname"]?.stringValue)
      let port = Int(try #require(running["port"]?.numberValue ?? 5432))

      let certificate = try await harness.send(.GET, harness.postgresPath + "/\(id)/caCertificates")
      #expect(certificate.headers["content-type"] == "application/x-pem-file")
      let caFile = harness.directory + "/test-ca.pem"
      try certificate.text.write(toFile: caFile, atomically: true, encoding: .utf8)

      let first = try psql(host: host, port: port, password: password, caFile: caFile, "select 40 + 2")
      #expect(first.status == 0, "\(first.output)")
      #expect(first.output == "42")

      // A password reset without a password generates one and shows it once.
      let reset = try await harness.send(.PATCH, harness.postgresPath + "/\(id)/password", body: "{}")
      let newPassword = try #require(reset.json?["result"]?["password"]?.stringValue)
      #expect(try psql(host: host, port: port, password: password, caFile: caFile, "select 1").status != 0)
      #expect(try psql(host: host, port: port, password: newPassword, caFile: caFile, "select 1").output == "1")

      // Config: a reloadable setting applies at once; a postmaster one is named as needing a restart.
      let config = try await harness.send(
        .PATCH, harness.postgresPath + "/\(id)/config",
        body: #"{"pgConfig": {"work_mem": "8MB", "max_connections": 150}, "pgBouncerConfig": {}}"#)
      #expect(config.status == 200, "\(config.text)")
      #expect(config.json?["result"]?["message"]?.stringValue?.contains("max_connections") == true)
      #expect(try psql(host: host, port: port, password: newPassword, caFile: caFile, "show work_mem").output == "8MB")
      // A value the spec allows but PostgreSQL refuses is the body's fault: 400, and nothing changes.
      let refused = try await harness.send(
        .PATCH, harness.postgresPath + "/\(id)/config",
        body: #"{"pgConfig": {"autovacuum_vacuum_insert_scale_factor": 1.5e308}, "pgBouncerConfig": {}}"#)
      #expect(refused.status == 400, "\(refused.text)")
      #expect(try psql(host: host, port: port, password: newPassword, caFile: caFile, "show work_mem").output == "8MB")

      // A restart passes through `restarting` and applies the postmaster setting.
      let restart = try await harness.send(.PATCH, harness.postgresPath + "/\(id)/state", body: #"{"command": "restart"}"#)
      #expect(restart.json?["result"]?["state"]?.stringValue == "restarting")
      _ = try await wait(harness, id, for: "running")
      #expect(try psql(host: host, port: port, password: newPassword, caFile: caFile, "show max_connections").output == "150")

      // Tags are replaced as a whole by PATCH.
      let patched = try await harness.send(
        .PATCH, harness.postgresPath + "/\(id)", body: #"{"tags": [{"key": "team", "value": "db"}]}"#)
      #expect(patched.json?["result"]?["tags"]?.description == #"[{"key":"team","value":"db"}]"#)

      let deleted = try await harness.send(.DELETE, harness.postgresPath + "/\(id)")
      #expect(deleted.status == 200)
      #expect(deleted.json?["result"] == nil)
      let deadline = Date().addingTimeInterval(30)
      var gone = false
      while Date() < deadline, !gone {
        gone = try await harness.send(.GET, harness.postgresPath + "/\(id)").status == 404
        if !gone { try await Task.sleep(nanoseconds: 50_000_000) }
      }
      #expect(gone, "a deleted service answers 404")
    }
  }

  @Test(arguments: [
    (#"{"provider": "aws", "region": "us-east-1", "size": "r8gd.large"}"#, "BAD_REQUEST: request body: name is required"),
    (#"{"name": "x", "provider": "aws", "region": "us-east-1", "size": "r8g.large"}"#, "did you mean r8gd.large?"),
    (#"{"name": "x", "provider": "azure", "region": "us-east-1", "size": "r8gd.large"}"#, "provider"),
    (
      #"{"name": "x", "provider": "aws", "region": "us-east-1", "size": "r8gd.large", "postgresVersion": "16"}"#,
      "postgresVersion"
    ),
    (#"{"name": "x", "provider": "aws", "region": "us-east-1", "size": "r8gd.large", "haType": "asyn"}"#, "did you mean async?"),
    (
      #"{"name": "x", "provider": "aws", "region": "us-east-1", "size": "r8gd.large", "tags": [{"key": "chc_x", "value": "y"}]}"#,
      "chc_"
    ),
    (#"{"name": "x", "provider": "aws", "region": "us-east-1", "size": "r8gd.large", "pgConfig": {}}"#, "pgConfig"),
    (
      #"{"name": "x", "provider": "aws", "region": "us-east-1", "size": "r8gd.large", "pgConfig": {"work_mme": "4MB"}}"#,
      "did you mean work_mem?"
    ),
    (#"[1, 2]"#, "must be a JSON object"),
    (#"{"name": "", "provider": "aws", "region": "us-east-1", "size": "r8gd.large"}"#, "name"),
  ])
  func invalidCreateBodiesAre400(_ body: String, _ expected: String) async throws {
    try await EmulatorHarness.with { harness in
      let reply = try await harness.send(.POST, harness.postgresPath, body: body)
      #expect(reply.status == 400)
      #expect(reply.json?["status"]?.numberValue == 400)
      let error = reply.json?["error"]?.stringValue ?? ""
      #expect(error.hasPrefix("BAD_REQUEST: request body"), "\(error)")
      #expect(error.contains(expected), "\(error)")
    }
  }
}

/// A test failure with a message.
struct TestFailure: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
