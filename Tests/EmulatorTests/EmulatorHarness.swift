import AsyncHTTPClient
import Emulator
import Foundation
import JQ
import NIOCore
import NIOHTTP1

/// A real emulator on a free port with a fresh data directory, and an HTTP client for it.
struct EmulatorHarness {
  let emulator: LocalEmulator
  let directory: String
  /// Room for tests that send many requests at once (30 creates) on a loaded machine: a connection per
  /// request, and minutes rather than seconds to wait for one.
  let client = HTTPClient(
    eventLoopGroupProvider: .singleton,
    configuration: HTTPClient.Configuration(
      timeout: .init(connect: .seconds(120), read: .seconds(120)),
      connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)))

  /// Starts an emulator; `body` runs against it, and everything is stopped and removed afterwards. Base
  /// backups copy the whole cluster, so they are taken only where a test asks with a short `backupDelay`.
  static func with(
    rateLimit: (requests: Int, seconds: Double)? = nil, faultRate: Double = 0, backupDelay: Double = 3600,
    idleTimeout: Double = 60,
    failingClusterStarts: Int = 0, onlyMajors: [Int]? = nil, _ body: (EmulatorHarness) async throws -> Void
  ) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mpg-emulator-\(UUID().uuidString)").path
    var configuration = EmulatorConfiguration(
      dataDirectory: directory, transitionDuration: transitionDuration, rateLimit: rateLimit, faultRate: faultRate, faultSeed: 7,
      backupDelay: backupDelay)
    configuration.idleTimeout = idleTimeout
    configuration.failingClusterStarts = failingClusterStarts
    configuration.onlyMajors = onlyMajors
    let emulator = try await LocalEmulator.start(configuration)
    let harness = EmulatorHarness(emulator: emulator, directory: directory)
    do {
      try await body(harness)
    } catch {
      await harness.shutDown()
      throw error
    }
    await harness.shutDown()
  }

  private func shutDown() async {
    try? await client.shutdown()
    await emulator.stop()
    try? await LocalEmulator.reset(dataDirectory: directory)
  }

  /// How long size and haType changes take in tests (the default is seconds, for people to see).
  static let transitionDuration = 0.3

  /// The organization's Postgres collection path.
  var postgresPath: String { "/v1/organizations/\(emulator.organizationID)/postgres" }

  /// A response: status, headers and the body parsed by jq's parser (when JSON).
  struct Reply {
    var status: Int
    var headers: [String: String]
    var text: String
    var json: JSONValue? { try? JSONValue(parsing: text) }
  }

  /// Sends a request with the emulator's key (or `credentials`).
  func send(_ method: HTTPMethod, _ path: String, body: String? = nil, credentials: (String, String)? = nil) async throws -> Reply
  {
    var request = HTTPClientRequest(url: emulator.baseURL + path)
    request.method = method
    let (id, secret) = credentials ?? (emulator.keyID, emulator.keySecret)
    request.headers.add(name: "Authorization", value: "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString())
    if let body {
      request.headers.add(name: "Content-Type", value: "application/json")
      request.body = .bytes(ByteBuffer(string: body))
    }
    let response = try await client.execute(request, timeout: .seconds(120))
    let bytes = try await response.body.collect(upTo: 1 << 22)
    var headers: [String: String] = [:]
    for header in response.headers { headers[header.name.lowercased()] = header.value }
    return Reply(status: Int(response.status.code), headers: headers, text: String(buffer: bytes))
  }

  /// Polls GET until the service reaches `state` (or fails after `seconds`); returns the service.
  func wait(for state: String, _ id: String, seconds: Double = 120) async throws -> JSONValue {
    let deadline = Date().addingTimeInterval(seconds)
    var last = ""
    while Date() < deadline {
      let reply = try await send(.GET, postgresPath + "/" + id)
      if let service = reply.json?["result"] {
        last = service["state"]?.stringValue ?? ""
        if last == state { return service }
      }
      try await Task.sleep(nanoseconds: 20_000_000)
    }
    throw TestFailure("service \(id) did not reach \(state) in \(seconds) s (last: \(last))")
  }

  /// Process ids of `postgres` processes (postmasters and their children) working under `root`.
  static func postgresProcesses(under root: String) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { Int32($0) }.filter { pid in
      guard let command = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8), command.hasPrefix("postgres"),
        let directory = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd")
      else { return false }
      return directory == root || directory.hasPrefix(root + "/")
    }
  }
}
