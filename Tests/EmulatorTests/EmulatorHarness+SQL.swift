import Foundation
import JQ

/// SQL against a service over TLS with psql, as a client would send it, and helpers the backup, replica
/// and restore tests share.
extension EmulatorHarness {
  /// psql's output and exit status.
  struct SQLResult {
    var status: Int32
    var output: String
    var succeeded: Bool { status == 0 }
  }

  /// Runs `sql` with psql (`-X -A -t`, stopping at the first error) on `service` (the API's object: its
  /// hostname and port) as postgres with `password` (in the environment, never in argv), verifying the
  /// server against the emulator's CA.
  func psql(_ service: JSONValue, password: String, _ sql: String) async throws -> SQLResult {
    let caFile = directory + "/test-ca.pem"
    if !FileManager.default.fileExists(atPath: caFile) {
      let id = service["id"]?.stringValue ?? ""
      let certificate = try await send(.GET, postgresPath + "/\(id)/caCertificates")
      try certificate.text.write(toFile: caFile, atomically: true, encoding: .utf8)
    }
    let host = service["hostname"]?.stringValue ?? ""
    let port = Int(service["port"]?.numberValue ?? 5432)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
    process.arguments = [
      "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql,
      "host=\(host) port=\(port) user=postgres dbname=postgres sslmode=verify-full sslrootcert=\(caFile) connect_timeout=5",
    ]
    process.environment = ["PGPASSWORD": password, "PATH": "/usr/bin:/bin"]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return SQLResult(
      status: process.terminationStatus,
      output: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
  }

  /// Polls `…/backups` until the service has at least one; returns the list.
  func waitForBackup(_ id: String, seconds: Double = 60) async throws -> [JSONValue] {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      let reply = try await send(.GET, postgresPath + "/\(id)/backups")
      if let backups = reply.json?["result"]?.arrayElements, !backups.isEmpty { return backups }
      try await Task.sleep(nanoseconds: 100_000_000)
    }
    throw TestFailure("service \(id) took no backup in \(seconds) s")
  }

  /// Polls GET until the service reaches `state`, recording every state seen on the way.
  func states(until state: String, _ id: String, seconds: Double = 120) async throws -> (service: JSONValue, seen: [String]) {
    let deadline = Date().addingTimeInterval(seconds)
    var seen: [String] = []
    while Date() < deadline {
      if let service = try await send(.GET, postgresPath + "/" + id).json?["result"], let current = service["state"]?.stringValue
      {
        if seen.last != current { seen.append(current) }
        if current == state { return (service, seen) }
      }
      try await Task.sleep(nanoseconds: 20_000_000)
    }
    throw TestFailure("service \(id) did not reach \(state) in \(seconds) s (seen: \(seen))")
  }
}
