import Foundation
import JQ
import Testing

@Suite("Emulator API over HTTP", .serialized)
struct EmulatorAPITests {
  @Test func organizationsAnswerInTheEnvelope() async throws {
    try await EmulatorHarness.with { harness in
      let list = try await harness.send(.GET, "/v1/organizations")
      #expect(list.status == 200)
      let json = try #require(list.json)
      #expect(json["status"]?.numberValue == 200)
      #expect(json["requestId"]?.stringValue?.count == 36)
      #expect(json["result"]?.arrayElements?.first?["id"]?.stringValue == harness.emulator.organizationID)
      let one = try await harness.send(.GET, "/v1/organizations/\(harness.emulator.organizationID)")
      #expect(one.json?["result"]?["id"]?.stringValue == harness.emulator.organizationID)
      let other = try await harness.send(.GET, "/v1/organizations/\(UUID().uuidString.lowercased())")
      #expect(other.status == 404)
      #expect(other.json?["error"]?.stringValue == "NOT_FOUND")
    }
  }

  @Test func missingOrWrongCredentialsAre401() async throws {
    try await EmulatorHarness.with { harness in
      let wrong = try await harness.send(.GET, "/v1/organizations", credentials: (harness.emulator.keyID, "nope"))
      #expect(wrong.status == 401)
      #expect(wrong.json?["status"]?.numberValue == 401)
      #expect(wrong.json?["error"]?.stringValue?.hasPrefix("UNAUTHENTICATED") == true)
    }
  }

  @Test func unknownPathsAre404InTheEnvelope() async throws {
    try await EmulatorHarness.with { harness in
      let reply = try await harness.send(.GET, "/v1/nothing/here")
      #expect(reply.status == 404)
      #expect(reply.json?["error"]?.stringValue?.hasPrefix("NOT_FOUND") == true)
    }
  }

  @Test func rateLimitAnswers429WithReset() async throws {
    try await EmulatorHarness.with(rateLimit: (3, 10)) { harness in
      for _ in 0..<3 { #expect(try await harness.send(.GET, "/v1/organizations").status == 200) }
      let limited = try await harness.send(.GET, "/v1/organizations")
      #expect(limited.status == 429)
      #expect(Int(limited.headers["x-ratelimit-reset"] ?? "") ?? 0 >= 1)
      #expect(limited.headers["retry-after"] != nil)
    }
  }

  @Test func malformedAndUnknownServiceIDs() async throws {
    try await EmulatorHarness.with { harness in
      let malformed = try await harness.send(.GET, harness.postgresPath + "/not-a-uuid")
      #expect(malformed.status == 400)
      #expect(malformed.json?["error"]?.stringValue == "BAD_REQUEST: Invalid Postgres service id not-a-uuid")
      let unknown = UUID().uuidString.lowercased()
      let missing = try await harness.send(.GET, harness.postgresPath + "/" + unknown)
      #expect(missing.json?["error"]?.stringValue == "BAD_REQUEST: Invalid Postgres service id \(unknown)")
    }
  }

  @Test func invalidJSONBodyIsABadRequest() async throws {
    try await EmulatorHarness.with { harness in
      let reply = try await harness.send(.POST, harness.postgresPath, body: "{not json")
      #expect(reply.status == 400)
      #expect(reply.json?["error"]?.stringValue?.hasPrefix("BAD_REQUEST: request body") == true)
    }
  }
}
