import Foundation
import JQ
import Testing

/// A new service whose cluster cannot start on its address (another process took it after the
/// emulator's check) is tried on fresh addresses before it is `unavailable`.
@Suite("Address retry")
struct AddressRetryTests {
  static let body = #"{"name": "retried", "provider": "aws", "region": "us-east-1", "size": "r6gd.medium"}"#

  @Test func aClusterThatCannotStartMovesToAFreshAddress() async throws {
    try await EmulatorHarness.with(failingClusterStarts: 2) { harness in
      let created = try #require(try await harness.send(.POST, harness.postgresPath, body: Self.body).json?["result"])
      let id = try #require(created["id"]?.stringValue)
      let first = try #require(created["hostname"]?.stringValue)
      let running = try await harness.wait(for: "running", id)
      let address = try #require(running["hostname"]?.stringValue)
      #expect(address != first, "still on \(first) after its cluster failed to start there")
      #expect(address.hasPrefix("127.7"), "\(address)")
      let password = try #require(created["password"]?.stringValue)
      #expect(try await harness.psql(running, password: password, "select 1").output == "1")
    }
  }

  @Test func afterThreeAddressesTheServiceIsUnavailable() async throws {
    try await EmulatorHarness.with(failingClusterStarts: 3) { harness in
      let created = try #require(try await harness.send(.POST, harness.postgresPath, body: Self.body).json?["result"])
      let id = try #require(created["id"]?.stringValue)
      _ = try await harness.wait(for: "unavailable", id)
    }
  }
}
