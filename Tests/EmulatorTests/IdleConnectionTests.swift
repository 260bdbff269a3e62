import Foundation
import MPGTestSupport
import Testing

/// Clients that connect and say nothing (or half a request) do not make the API unresponsive.
@Suite("Idle connections", .serialized, .stressPhase)
struct IdleConnectionTests {
  /// Holds `count` connections to the emulator, each with half a request sent; prints "ready" once
  /// all are open and keeps them until its standard input closes.
  static let holder = #"""
    import socket, sys
    port, count = int(sys.argv[1]), int(sys.argv[2])
    held = []
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"GET /v1/organizations HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        held.append(s)
    print("ready", flush=True)
    sys.stdin.read()
    """#

  @Test func twentyThousandIdleConnectionsLeaveTheAPIAnswering() async throws {
    try await EmulatorHarness.with { harness in
      let port = try #require(URL(string: harness.emulator.baseURL)?.port)
      let clients = 4
      let perClient = 5_000
      var holders: [Process] = []
      var inputs: [Pipe] = []
      var outputs: [Pipe] = []
      defer {
        for input in inputs { try? input.fileHandleForWriting.close() }
        for holder in holders { holder.terminate() }
      }
      for _ in 0..<clients {
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        holder.arguments = ["-c", Self.holder, "\(port)", "\(perClient)"]
        let input = Pipe()
        let output = Pipe()
        holder.standardInput = input
        holder.standardOutput = output
        try holder.run()
        holders.append(holder)
        inputs.append(input)
        outputs.append(output)
      }
      for output in outputs {
        let line = output.fileHandleForReading.availableLine(timeout: 300)
        #expect(line == "ready", "a holder did not get its connections open: \(line ?? "nothing")")
      }
      let started = Date()
      let reply = try await harness.send(.GET, harness.postgresPath)
      let seconds = Date().timeIntervalSince(started)
      #expect(reply.status == 200, "\(reply.text)")
      #expect(seconds < 1, "a GET beside \(clients * perClient) idle connections took \(seconds) s")
      print("a GET beside \(clients * perClient) half-sent requests answered in \(Int(seconds * 1000)) ms")
    }
  }
}

extension FileHandle {
  /// The first line written to this handle, or nil when none comes within `timeout` seconds.
  func availableLine(timeout: Double) -> String? {
    let deadline = Date().addingTimeInterval(timeout)
    var bytes = Data()
    while Date() < deadline {
      let chunk = availableData
      if chunk.isEmpty { return nil }
      bytes.append(chunk)
      if let newline = bytes.firstIndex(of: 0x0A) { return String(decoding: bytes[..<newline], as: UTF8.self) }
    }
    return nil
  }
}
