import Foundation
import JQ
import Testing

/// A service never runs another major than the one it shows: a major that is not installed is refused
/// before anything is made, with the command that installs it.
@Suite("Missing PostgreSQL major")
struct MissingMajorTests {
  @Test func aMajorThatIsNotInstalledIsRefused() async throws {
    try await EmulatorHarness.with(onlyMajors: [18]) { harness in
      let body =
        #"{"name": "seventeen", "provider": "aws", "region": "us-east-1", "size": "r6gd.medium", "postgresVersion": "17"}"#
      let refused = try await harness.send(.POST, harness.postgresPath, body: body)
      #expect(refused.status == 400, "\(refused.text)")
      #expect(
        refused.json?["error"]?.stringValue
          == "BAD_REQUEST: postgresVersion 17: PostgreSQL 17 is not installed for this emulator (it serves 18); install it with `mpg emulator postgres install 17`",
        "\(refused.text)")
      let list = try await harness.send(.GET, harness.postgresPath)
      #expect(list.json?["result"]?.arrayElements?.isEmpty == true, "\(list.text)")
      #expect(harness.emulator.postgresMajors == [18])

      let eighteen = try await harness.send(
        .POST, harness.postgresPath, body: body.replacingOccurrences(of: #""17""#, with: #""18""#))
      let id = try #require(eighteen.json?["result"]?["id"]?.stringValue, "\(eighteen.text)")
      let running = try await harness.wait(for: "running", id)
      #expect(running["postgresVersion"]?.stringValue == "18")
      let password = try #require(eighteen.json?["result"]?["password"]?.stringValue)
      let version = try await harness.psql(
        running, password: password, "select current_setting('server_version_num')::int / 10000")
      #expect(version.output == "18", "the service says 18 and runs \(version.output)")
    }
  }
}
