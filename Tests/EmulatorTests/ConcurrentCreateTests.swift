import Foundation
import JQ
import MPGTestSupport
import Testing

/// Creates that arrive together (a fleet create, a class of students on one twin) each get an address
/// of their own and all run.
@Suite("Concurrent creates", .serialized, .stressPhase)
struct ConcurrentCreateTests {
  @Test func thirtyCreatesAtOnceAllRun() async throws {
    try await EmulatorHarness.with { harness in
      let count = 30
      let started = Date()
      let ids = try await withThrowingTaskGroup(of: String.self) { group in
        for index in 0..<count {
          group.addTask {
            let body = #"{"name": "fleet-\#(index)", "provider": "aws", "region": "us-east-1", "size": "r6gd.medium"}"#
            let reply = try await harness.send(.POST, harness.postgresPath, body: body)
            guard reply.status == 200, let id = reply.json?["result"]?["id"]?.stringValue else {
              throw TestFailure("create \(index): \(reply.status) \(reply.text)")
            }
            return id
          }
        }
        return try await group.reduce(into: [String]()) { $0.append($1) }
      }
      #expect(ids.count == count)
      var addresses: Set<String> = []
      for id in ids {
        let service = try await harness.wait(for: "running", id, seconds: 300)
        addresses.insert("\(service["hostname"]?.stringValue ?? ""):\(service["port"]?.numberValue ?? 0)")
      }
      #expect(addresses.count == count, "two services share an address: \(addresses.sorted())")
      let list = try await harness.send(.GET, harness.postgresPath)
      let states = (list.json?["result"]?.arrayElements ?? []).compactMap { $0["state"]?.stringValue }
      #expect(states.count == count && states.allSatisfy { $0 == "running" }, "\(states)")
      let seconds = Date().timeIntervalSince(started)
      // Processes and proportional memory (PSS: shared pages split between their users) per service.
      var processes = 0
      var kilobytes = 0
      for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where Int32(entry) != nil {
        guard let directory = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/cwd"),
          ids.contains(where: { directory.contains($0) }),
          let rollup = try? String(contentsOfFile: "/proc/\(entry)/smaps_rollup", encoding: .utf8)
        else { continue }
        processes += 1
        let pss = rollup.split(separator: "\n").first { $0.hasPrefix("Pss:") }
        kilobytes += Int(pss?.split(separator: " ").dropFirst().first ?? "") ?? 0
      }
      print(
        "30 concurrent creates: all running after \(String(format: "%.1f", seconds)) s; \(processes / count) processes and \(kilobytes / count / 1024) MB (PSS) per service"
      )
    }
  }
}
