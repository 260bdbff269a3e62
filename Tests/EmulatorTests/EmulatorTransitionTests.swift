import Emulator
import Foundation
import JQ
import Testing

/// Size and haType changes pass through `restarting` back to `running`, over HTTP, and one cut short by an
/// emulator restart finishes after it.
@Suite("Emulator size and haType transitions", .serialized)
struct EmulatorTransitionTests {
  private static let createBody = #"{"name": "resize", "provider": "aws", "region": "us-east-1", "size": "r8gd.large"}"#

  @Test func sizeAndHaTypeChangesPassThroughATransition() async throws {
    try await EmulatorHarness.with { harness in
      let created = try await harness.send(.POST, harness.postgresPath, body: Self.createBody)
      let id = try #require(created.json?["result"]?["id"]?.stringValue)
      let path = harness.postgresPath + "/" + id
      _ = try await harness.wait(for: "running", id)

      let resized = try await harness.send(.PATCH, path, body: #"{"size": "r8gd.xlarge"}"#)
      #expect(resized.status == 200, "\(resized.text)")
      let during = try #require(resized.json?["result"])
      #expect(during["state"]?.stringValue == "restarting")
      #expect(during["size"]?.stringValue == "r8gd.xlarge")
      #expect(during["storageSize"]?.numberValue == 236)
      #expect(try await harness.send(.GET, path).json?["result"]?["state"]?.stringValue == "restarting")
      // A second change while the first runs is refused, as a restart is.
      let overlapping = try await harness.send(.PATCH, path, body: #"{"haType": "async"}"#)
      #expect(overlapping.status == 400, "\(overlapping.text)")
      #expect(overlapping.json?["error"]?.stringValue?.contains("only on a running service") == true, "\(overlapping.text)")
      let after = try await harness.wait(for: "running", id, seconds: 30)
      #expect(after["size"]?.stringValue == "r8gd.xlarge")

      let ha = try await harness.send(.PATCH, path, body: #"{"haType": "async"}"#)
      #expect(ha.json?["result"]?["state"]?.stringValue == "restarting", "\(ha.text)")
      #expect(try await harness.wait(for: "running", id, seconds: 30)["haType"]?.stringValue == "async")

      // The same size, a name or tags: no transition.
      let same = try await harness.send(.PATCH, path, body: #"{"size": "r8gd.xlarge", "haType": "async", "name": "renamed"}"#)
      #expect(same.json?["result"]?["state"]?.stringValue == "running", "\(same.text)")
      #expect(same.json?["result"]?["name"]?.stringValue == "renamed")
    }
  }

  @Test func aTransitionCutShortByARestartFinishesAfterIt() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mpg-transition-\(UUID().uuidString)").path
    do {
      try await cutShortThenRestart(directory)
    } catch {
      try? await LocalEmulator.reset(dataDirectory: directory)
      throw error
    }
    try await LocalEmulator.reset(dataDirectory: directory)
  }

  private func cutShortThenRestart(_ directory: String) async throws {
    // A transition far longer than the test: only the restart can end it.
    let configuration = EmulatorConfiguration(dataDirectory: directory, transitionDuration: 600, rateLimit: nil)
    var id = ""
    try await Self.serving(configuration) { harness in
      let created = try await harness.send(.POST, harness.postgresPath, body: Self.createBody)
      id = try #require(created.json?["result"]?["id"]?.stringValue)
      _ = try await harness.wait(for: "running", id)
      let resized = try await harness.send(.PATCH, harness.postgresPath + "/" + id, body: #"{"size": "m6gd.large"}"#)
      #expect(resized.json?["result"]?["state"]?.stringValue == "restarting", "\(resized.text)")
    }
    let stored = try JSONValue(parsing: try String(contentsOfFile: directory + "/state.json", encoding: .utf8))
    #expect(stored["services"]?.arrayElements?.first?["state"]?.stringValue == "restarting", "the transition is persisted")

    try await Self.serving(configuration) { [id] harness in
      let service = try await harness.wait(for: "running", id, seconds: 30)
      #expect(service["size"]?.stringValue == "m6gd.large")
    }
  }

  /// Runs `body` against an emulator on `configuration`'s data directory, then stops it (keeping the directory).
  private static func serving(_ configuration: EmulatorConfiguration, _ body: (EmulatorHarness) async throws -> Void) async throws
  {
    let harness = EmulatorHarness(emulator: try await LocalEmulator.start(configuration), directory: configuration.dataDirectory)
    do {
      try await body(harness)
    } catch {
      try? await harness.client.shutdown()
      await harness.emulator.stop()
      throw error
    }
    try? await harness.client.shutdown()
    await harness.emulator.stop()
  }
}
