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
  let client = HTTPClient(eventLoopGroupProvider: .singleton)

  /// Starts an emulator; `body` runs against it, and everything is stopped and removed afterwards.
  static func with(rateLimit: (requests: Int, seconds: Double)? = nil, faultRate: Double = 0, _ body: (EmulatorHarness) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mpg-emulator-\(UUID().uuidString)").path
    let emulator = try await LocalEmulator.start(EmulatorConfiguration(dataDirectory: directory, rateLimit: rateLimit, faultRate: faultRate, faultSeed: 7))
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
  func send(_ method: HTTPMethod, _ path: String, body: String? = nil, credentials: (String, String)? = nil) async throws -> Reply {
    var request = HTTPClientRequest(url: emulator.baseURL + path)
    request.method = method
    let (id, secret) = credentials ?? (emulator.keyID, emulator.keySecret)
    request.headers.add(name: "Authorization", value: "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString())
    if let body {
      request.headers.add(name: "Content-Type", value: "application/json")
      request.body = .bytes(ByteBuffer(string: body))
    }
    let response = try await client.execute(request, timeout: .seconds(30))
    let bytes = try await response.body.collect(upTo: 1 << 22)
    var headers: [String: String] = [:]
    for header in response.headers { headers[header.name.lowercased()] = header.value }
    return Reply(status: Int(response.status.code), headers: headers, text: String(buffer: bytes))
  }
}
