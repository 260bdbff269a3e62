import AsyncHTTPClient
import Foundation
import JQ
import NIOCore
import NIOHTTP1
import MPGTestSupport
import Testing

/// `kill -9` of the emulator in the middle of a create, then a restart: the service ends up running, its
/// cluster is the only one, and `reset` leaves no PostgreSQL process behind.
@Suite("Emulator crash recovery", .serialized)
struct EmulatorCrashRecoveryTests {
  /// Starts `mpg emulator serve` on a free port; returns the process and what it printed when ready.
  private func serve(_ directory: String) throws -> (Process, JSONValue) {
    let process = Process()
    process.executableURL = MPGProcess.executableURL
    process.arguments = ["emulator", "serve", "--data-dir", directory, "--rate-limit", "off"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try? FileManager.default.removeItem(atPath: directory + "/server.json")
    try process.run()
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline {
      if let text = try? String(contentsOfFile: directory + "/server.json", encoding: .utf8),
        let ready = try? JSONValue(parsing: text)
      {
        return (process, ready)
      }
      Thread.sleep(forTimeInterval: 0.05)
    }
    process.terminate()
    throw TestFailure("mpg emulator serve did not become ready")
  }

  /// Process ids of postmasters whose data directory is under `fragment`.
  private func postmasters(matching fragment: String) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { Int32($0) }.filter { pid in
      guard let command = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline")) else { return false }
      let words = command.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
      return words.first?.hasSuffix("/postgres") == true && words.contains { $0.contains(fragment) }
    }
  }

  private func request(_ ready: JSONValue, _ method: HTTPMethod, _ path: String, body: String? = nil) async throws -> JSONValue? {
    var request = HTTPClientRequest(url: (ready["url"]?.stringValue ?? "") + path)
    request.method = method
    let credentials = "\(ready["keyId"]?.stringValue ?? ""):\(ready["keySecret"]?.stringValue ?? "")"
    request.headers.add(name: "Authorization", value: "Basic " + Data(credentials.utf8).base64EncodedString())
    if let body {
      request.headers.add(name: "Content-Type", value: "application/json")
      request.body = .bytes(ByteBuffer(string: body))
    }
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
    let bytes = try await response.body.collect(upTo: 1 << 20)
    return try? JSONValue(parsing: Array(bytes.readableBytesView))
  }

  @Test func killDuringCreateThenRestart() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mpg-crash-\(UUID().uuidString)").path
    defer {
      _ = try? MPGProcess.run(["emulator", "reset", "--data-dir", directory])
    }
    let (first, ready) = try serve(directory)
    let organization = try #require(ready["organizationId"]?.stringValue)
    let created = try await request(
      ready, .POST, "/v1/organizations/\(organization)/postgres",
      body: #"{"name": "crash", "provider": "aws", "region": "us-east-1", "size": "r8gd.large"}"#)
    let id = try #require(created?["result"]?["id"]?.stringValue)
    kill(first.processIdentifier, SIGKILL)
    first.waitUntilExit()

    let (second, readyAgain) = try serve(directory)
    defer {
      kill(second.processIdentifier, SIGINT)
      second.waitUntilExit()
    }
    var state = ""
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline, state != "running" {
      state =
        try await request(readyAgain, .GET, "/v1/organizations/\(organization)/postgres/\(id)")?["result"]?["state"]?.stringValue
        ?? ""
      if state != "running" { try await Task.sleep(nanoseconds: 100_000_000) }
    }
    #expect(state == "running", "the interrupted create finishes after the restart")
    #expect(postmasters(matching: id).count == 1, "exactly one postmaster serves the service")

    kill(second.processIdentifier, SIGINT)
    second.waitUntilExit()
    _ = try MPGProcess.run(["emulator", "reset", "--data-dir", directory])
    #expect(postmasters(matching: id).isEmpty, "reset leaves no PostgreSQL process")
  }
}
