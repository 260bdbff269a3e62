@testable import CloudAPI
import JQ
import Testing

/// One exchange of the client with a scripted peer: what it sends, how it reads the answer, and how
/// a request that gets no answer ends (its time-out, or the caller's cancellation).
@Suite("Client exchanges")
struct ClientExchangeTests {
  private static let credentials = APICredentials(keyID: "key-id", keySecret: "key-secret")

  private static func client(port: Int, timeout: Double = 30) -> CloudClient {
    CloudClient(
      endpoint: EndpointURL("http://127.0.0.1:\(port)")!, credentials: credentials, userAgent: "mpg/test",
      pacing: nil, retry: RetryPolicy(maximumAttempts: 1), requestTimeout: timeout, environment: [:])
  }

  @Test func sendsTheKeyAndReadsTheEnvelope() async throws {
    let body = #"{"result":{"id":"a","state":"running"},"requestId":"req-1","status":200}"#
    let peer = try ScriptedHTTPPeer(
      answer: "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
    defer { peer.close() }
    let client = Self.client(port: peer.port)
    let response = try await client.send(APIRequest("GET", "/v1/organizations/o/postgres/a"))
    await client.shutdown()
    #expect(response.status == 200)
    #expect(response.body == Array(body.utf8))
    #expect(response.result.dumped(.compact) == #"{"id":"a","state":"running"}"#)
    #expect(response.requestID == "req-1")
    let request = peer.request
    #expect(request.hasPrefix("GET /v1/organizations/o/postgres/a HTTP/1.1\r\n"))
    #expect(request.contains("Authorization: \(Self.credentials.authorizationHeader)\r\n"))
    #expect(request.contains("User-Agent: mpg/test\r\n"))
  }

  @Test func anErrorStatusIsAnAPIFailureWithTheRequestIDFromTheHeader() async throws {
    let body = #"{"status":404,"error":"NOT_FOUND: gone"}"#
    let peer = try ScriptedHTTPPeer(
      answer:
        "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nX-Request-Id: req-2\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
    )
    defer { peer.close() }
    let client = Self.client(port: peer.port)
    await #expect {
      try await client.send(APIRequest("GET", "/v1/x"))
    } throws: { error in
      guard let failure = error as? APIFailure else { return false }
      return failure.status == 404 && failure.response.requestID == "req-2"
    }
    await client.shutdown()
  }

  @Test func aRequestWithoutAnAnswerTimesOut() async throws {
    let peer = try ScriptedHTTPPeer(answer: nil)
    defer { peer.close() }
    let client = Self.client(port: peer.port, timeout: 0.3)
    await #expect {
      try await client.send(APIRequest("GET", "/v1/slow"))
    } throws: { error in
      (error as? TransportFailure)?.reason == "the request timed out"
    }
    await client.shutdown()
  }

  @Test func cancellingTheCallerCancelsTheRequest() async throws {
    let peer = try ScriptedHTTPPeer(answer: nil)
    defer { peer.close() }
    // A time-out far away: the request can only end early through the cancellation.
    let client = Self.client(port: peer.port, timeout: 60)
    let sending = Task { try await client.send(APIRequest("GET", "/v1/slow")) }
    while !peer.request.contains("\r\n\r\n") { try await Task.sleep(nanoseconds: 10_000_000) }
    sending.cancel()
    await #expect(throws: CancellationError.self) { try await sending.value }
    await client.shutdown()
  }
}
