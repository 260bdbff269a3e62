import Foundation
import JQ
import Testing

/// The HTTP layer's edges: silent clients are dropped, every error is in the API's envelope, and a body
/// must be declared JSON.
@Suite("Emulator HTTP edges")
struct HTTPEdgeTests {
  /// Sends `bytes` on a fresh connection and returns everything the server writes until it closes the
  /// connection (or `seconds` pass), and whether it closed it.
  static func exchange(port: Int, _ bytes: String, seconds: Double) throws -> (text: String, closed: Bool) {
    let script = #"""
      import socket, sys, time
      s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
      s.sendall(sys.argv[2].encode())
      s.settimeout(float(sys.argv[3]))
      data, closed = b"", False
      try:
          while True:
              chunk = s.recv(65536)
              if not chunk:
                  closed = True
                  break
              data += chunk
      except socket.timeout:
          pass
      sys.stdout.write(("closed\n" if closed else "open\n") + data.decode("utf-8", "replace"))
      """#
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    process.arguments = ["-c", script, "\(port)", bytes, "\(seconds)"]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    return (String(text.drop { $0 != "\n" }.dropFirst()), text.hasPrefix("closed"))
  }

  @Test func silentAndHalfSentRequestsAreDropped() async throws {
    try await EmulatorHarness.with(idleTimeout: 1) { harness in
      let port = try #require(URL(string: harness.emulator.baseURL)?.port)
      let half = try Self.exchange(port: port, "GET /v1/organizations HTTP/1.1\r\nHost: 127.0.0.1\r\n", seconds: 10)
      #expect(half.closed && half.text.isEmpty, "a half-sent request was kept: \(half)")
      let silent = try Self.exchange(port: port, "", seconds: 10)
      #expect(silent.closed, "a silent connection was kept")
    }
  }

  @Test func errorsOfTheHTTPLayerAreInTheEnvelope() async throws {
    try await EmulatorHarness.with { harness in
      let port = try #require(URL(string: harness.emulator.baseURL)?.port)
      for garbage in ["GARBAGE\r\n\r\n", "GET / HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n"] {
        let answer = try Self.exchange(port: port, garbage, seconds: 10)
        #expect(answer.text.hasPrefix("HTTP/1.1 400"), "\(answer.text)")
        #expect(answer.text.contains("Content-Type: application/json"), "\(answer.text)")
        #expect(answer.text.contains(#""status":400,"error":"BAD_REQUEST: the request is not valid HTTP""#), "\(answer.text)")
      }
      let large = try await harness.send(.POST, harness.postgresPath, body: "[" + String(repeating: "1,", count: 600_000) + "1]")
      #expect(large.status == 413, "\(large.text)")
      #expect(large.json?["error"]?.stringValue?.hasPrefix("PAYLOAD_TOO_LARGE: ") == true, "\(large.text)")
      #expect(large.headers["content-type"] == "application/json")
    }
  }

  @Test func aBodyMustBeDeclaredJSON() async throws {
    try await EmulatorHarness.with { harness in
      let port = try #require(URL(string: harness.emulator.baseURL)?.port)
      let body = #"{"name": "typed", "provider": "aws", "region": "us-east-1", "size": "r6gd.medium"}"#
      let authorization = "Basic " + Data("\(harness.emulator.keyID):\(harness.emulator.keySecret)".utf8).base64EncodedString()
      for (type, accepted) in [
        ("text/plain", false), ("application/x-www-form-urlencoded", false), ("", false),
        ("application/json; charset=utf-8", true),
      ] {
        let header = type.isEmpty ? "" : "Content-Type: \(type)\r\n"
        let request =
          "POST \(harness.postgresPath) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: \(authorization)\r\n\(header)Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        let answer = try Self.exchange(port: port, request, seconds: 30)
        if accepted {
          #expect(answer.text.hasPrefix("HTTP/1.1 200"), "\(type): \(answer.text)")
        } else {
          #expect(answer.text.hasPrefix("HTTP/1.1 400"), "\(type): \(answer.text)")
          #expect(answer.text.contains("Content-Type must be application/json"), "\(type): \(answer.text)")
        }
      }
      let list = try await harness.send(.GET, harness.postgresPath)
      #expect(list.json?["result"]?.arrayElements?.count == 1, "only the JSON create made a service: \(list.text)")
    }
  }
}
