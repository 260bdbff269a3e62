import Emulator
import Foundation
import JQ

/// One running service on an emulator that samples metrics every 0.2 s, and psql against it over TLS:
/// the fixture of the observability tests.
struct ObservedService {
  let harness: EmulatorHarness
  let id: String
  let name: String
  private let host: String
  private let port: Int
  private let password: String
  private let caFile: String

  /// Starts an emulator, creates a service and waits until it runs; everything is removed afterwards.
  static func with(_ body: (ObservedService) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mpg-observe-\(UUID().uuidString)").path
    var configuration = EmulatorConfiguration(dataDirectory: directory, transitionDuration: 0.3, rateLimit: nil)
    configuration.metricsInterval = 0.2
    let harness = EmulatorHarness(emulator: try await LocalEmulator.start(configuration), directory: directory)
    do {
      try await body(try await create(on: harness))
    } catch {
      await shutDown(harness)
      throw error
    }
    await shutDown(harness)
  }

  private static func shutDown(_ harness: EmulatorHarness) async {
    try? await harness.client.shutdown()
    await harness.emulator.stop()
    try? await LocalEmulator.reset(dataDirectory: harness.directory)
  }

  private static func create(on harness: EmulatorHarness) async throws -> ObservedService {
    let body = #"{"name": "observed", "provider": "aws", "region": "us-east-1", "size": "r8gd.large", "postgresVersion": "18"}"#
    let created = try await harness.send(.POST, harness.postgresPath, body: body)
    guard let service = created.json?["result"], let id = service["id"]?.stringValue,
      let password = service["password"]?.stringValue
    else {
      throw TestFailure("create failed: \(created.text)")
    }
    let running = try await harness.wait(for: "running", id)
    let certificate = try await harness.send(.GET, harness.postgresPath + "/\(id)/caCertificates")
    let caFile = harness.directory + "/observed-ca.pem"
    try certificate.text.write(toFile: caFile, atomically: true, encoding: .utf8)
    return ObservedService(
      harness: harness, id: id, name: "observed", host: running["hostname"]?.stringValue ?? "127.0.0.1",
      port: Int(running["port"]?.numberValue ?? 5432), password: password, caFile: caFile)
  }

  /// The service's path under the organization.
  var path: String { harness.postgresPath + "/" + id }

  /// Runs SQL (a script, on psql's standard input) over TLS as `application`; returns the exit status and
  /// what psql printed. Errors do not stop the script.
  @discardableResult
  func psql(_ sql: String, application: String = "observability-test") throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
    process.arguments = [
      "-X", "-A", "-t", "-q",
      "host=\(host) port=\(port) user=postgres dbname=postgres sslmode=verify-full sslrootcert=\(caFile) connect_timeout=5 application_name=\(application)",
    ]
    process.environment = ["PGPASSWORD": password, "PATH": "/usr/bin:/bin"]
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = output
    try process.run()
    input.fileHandleForWriting.write(Data(sql.utf8))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
  }

  /// GET of `suffix` under the service with query parameters (percent-encoded here).
  func get(_ suffix: String, _ parameters: [(String, String)] = []) async throws -> EmulatorHarness.Reply {
    try await harness.send(.GET, path + suffix + Self.query(parameters))
  }

  static func query(_ parameters: [(String, String)]) -> String {
    guard !parameters.isEmpty else { return "" }
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return "?"
      + parameters.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.1)" }.joined(separator: "&")
  }

  /// Waits until the server log holds `count` entries within the last 5 minutes that match `parameters`
  /// (the logging collector writes a moment after the statement, later on a loaded machine).
  func waitForLog(_ parameters: [(String, String)], count: Int, seconds: Double = 30) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    var found = 0
    while Date() < deadline {
      let window = [("from_date", Self.date(-300)), ("to_date", Self.date(60)), ("limit", "2000")]
      found = try await get("/logs", window + parameters).json?["result"]?.count ?? 0
      if found >= count { return }
      try await Task.sleep(nanoseconds: 100_000_000)
    }
    throw TestFailure("the log holds \(found) entries for \(parameters), expected \(count)")
  }

  /// An RFC 3339 time `offset` seconds from now.
  static func date(_ offset: Double) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.string(from: Date().addingTimeInterval(offset))
  }
}
