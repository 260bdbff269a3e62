import Foundation
import JQ
import Testing

/// IPv4 access rules (`ipAccessList`) over HTTP on a real cluster: stored with ids, shown on every read,
/// changed by PATCH (removals, then additions) and enforced by the cluster's pg_hba.conf.
@Suite("Emulator IP access list")
struct EmulatorAccessListTests {
  @Test func rulesDecideWhoConnects() async throws {
    try await EmulatorHarness.with { harness in
      // Only an address that is not this machine's: psql from 127.0.0.1 must be turned away.
      let body =
        #"{"name": "guarded", "provider": "aws", "region": "us-east-1", "size": "r6gd.medium", "ipAccessList": [{"source": "198.51.100.7", "portRange": "5432", "description": "office"}]}"#
      let created = try #require(try await harness.send(.POST, harness.postgresPath, body: body).json?["result"])
      let id = try #require(created["id"]?.stringValue)
      let password = try #require(created["password"]?.stringValue)
      let rules = try #require(created["ipAccessList"]?.arrayElements)
      #expect(rules.count == 1)
      #expect(rules.first?["source"]?.stringValue == "198.51.100.7")
      #expect(rules.first?["description"]?.stringValue == "office")
      let ruleID = try #require(rules.first?["id"]?.stringValue)
      let running = try await harness.wait(for: "running", id)
      #expect(running["ipAccessList"]?.arrayElements?.first?["id"]?.stringValue == ruleID, "the same rule on reads")
      let refused = try await harness.psql(running, password: password, "select 1")
      #expect(!refused.succeeded)
      #expect(refused.output.contains("no pg_hba.conf entry"), "\(refused.output)")

      let patch =
        #"{"ipAccessList": {"remove": [{"id": "\#(ruleID)"}], "add": [{"source": "127.0.0.0/8", "portRange": "5432..6432"}]}}"#
      let patched = try await harness.send(.PATCH, harness.postgresPath + "/\(id)", body: patch)
      #expect(patched.status == 200, "\(patched.text)")
      let now = try #require(patched.json?["result"]?["ipAccessList"]?.arrayElements)
      #expect(now.map { $0["source"]?.stringValue } == ["127.0.0.0/8"])
      #expect(try await harness.psql(running, password: password, "select 1").output == "1")

      // An empty list blocks every address again.
      let closed = try await harness.send(
        .PATCH, harness.postgresPath + "/\(id)",
        body: #"{"ipAccessList": {"remove": [{"id": "\#(now[0]["id"]?.stringValue ?? "")"}]}}"#)
      #expect(closed.json?["result"]?["ipAccessList"]?.arrayElements?.isEmpty == true)
      #expect(!(try await harness.psql(running, password: password, "select 1").succeeded))
    }
  }

  @Test func aServiceWithoutRulesIsOpenAndBadRulesAreRefused() async throws {
    try await EmulatorHarness.with { harness in
      let created = try #require(
        try await harness.send(
          .POST, harness.postgresPath, body: #"{"name": "open", "provider": "aws", "region": "us-east-1", "size": "r6gd.medium"}"#
        ).json?["result"])
      let id = try #require(created["id"]?.stringValue)
      #expect(created["ipAccessList"]?.arrayElements?.map { $0["source"]?.stringValue } == ["0.0.0.0/0"])

      let cases: [(String, String)] = [
        (
          #"{"name": "x", "provider": "aws", "region": "us-east-1", "size": "r6gd.medium", "ipAccessList": [{"source": "300.1.1.1"}]}"#,
          "ipAccessList[0].source \"300.1.1.1\" is not an IPv4 address"
        ),
        (
          #"{"name": "x", "provider": "aws", "region": "us-east-1", "size": "r6gd.medium", "ipAccessList": [{"source": "10.0.0.0/33"}]}"#,
          "ipAccessList[0].source"
        ),
        (
          #"{"name": "x", "provider": "aws", "region": "us-east-1", "size": "r6gd.medium", "ipAccessList": [{"portRange": "5432"}]}"#,
          "ipAccessList[0].source is required"
        ),
        (
          #"{"name": "x", "provider": "aws", "region": "us-east-1", "size": "r6gd.medium", "ipAccessList": [{"source": "10.0.0.1", "portRange": "6432..5432"}]}"#,
          "ipAccessList[0].portRange \"6432..5432\" is not a port or range"
        ),
        (
          #"{"name": "x", "provider": "aws", "region": "us-east-1", "size": "r6gd.medium", "ipAccessList": {"add": []}}"#,
          "ipAccessList must be an array, not an object"
        ),
      ]
      for (body, message) in cases {
        let reply = try await harness.send(.POST, harness.postgresPath, body: body)
        #expect(reply.status == 400, "\(body)")
        #expect(reply.json?["error"]?.stringValue?.contains(message) == true, "\(reply.text)")
      }
      let unknown = try await harness.send(
        .PATCH, harness.postgresPath + "/\(id)", body: #"{"ipAccessList": {"remove": [{"id": "no-such-rule"}]}}"#)
      #expect(unknown.status == 400)
      #expect(unknown.json?["error"]?.stringValue?.contains("ipAccessList.remove names no rule") == true, "\(unknown.text)")
      let wrongShape = try await harness.send(
        .PATCH, harness.postgresPath + "/\(id)", body: #"{"ipAccessList": [{"source": "10.0.0.1"}]}"#)
      #expect(
        wrongShape.json?["error"]?.stringValue?.contains("ipAccessList must be an object, not an array") == true,
        "\(wrongShape.text)")
    }
  }
}
