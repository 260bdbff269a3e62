import Foundation
import JQ
import PostgresAPISpec
import Testing

@testable import Emulator

/// `ServiceLifecycle` on its own, without clusters: the order of its moves, and that a job ending after
/// the service moved on cannot bring it back.
struct ServiceLifecycleTests {
  /// A lifecycle over a fresh state in a directory of its own, removed afterwards.
  static func with(provisionDelay: Double, _ body: (ServiceLifecycle) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mpg-lifecycle-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let work = ServiceWork()
    let lifecycle = ServiceLifecycle(
      state: try EmulatorState(directory: directory, requestedKey: nil),
      authority: try CertificateAuthority(directory: directory),
      clusters: nil, provisionDelay: provisionDelay, transitionDuration: 0, work: work, logger: .init(label: "test"))
    try await body(lifecycle)
    await work.cancelAll()
  }

  static func create(_ lifecycle: ServiceLifecycle, name: String = "svc") async throws -> ServiceRecord {
    let body = try JSONValue(parsing: #"{"name": "\#(name)", "provider": "aws", "region": "us-east-1", "size": "r8gd.medium"}"#)
    return try await lifecycle.create(RequestValidator().validateCreate(body))
  }

  /// The states a service passes through until its jobs are done, sampled every 10 ms.
  static func statesUntilIdle(_ lifecycle: ServiceLifecycle, _ id: String) async -> [String] {
    let watching = Task {
      var seen: [String] = []
      while !Task.isCancelled {
        let now = await lifecycle.state.service(id)?.state.rawValue ?? "gone"
        if seen.last != now { seen.append(now) }
        try? await Task.sleep(nanoseconds: 10_000_000)
      }
      return seen
    }
    await lifecycle.work.waitUntilIdle(id)
    try? await Task.sleep(nanoseconds: 30_000_000)
    watching.cancel()
    return await watching.value
  }

  @Test func aServiceDeletedWhileCreatingNeverRuns() async throws {
    try await Self.with(provisionDelay: 0.3) { lifecycle in
      let service = try await Self.create(lifecycle)
      try await lifecycle.delete(service)
      let states = await Self.statesUntilIdle(lifecycle, service.id)
      #expect(states == ["deleting", "gone"])
      #expect(await lifecycle.state.wasDeleted(service.id))
    }
  }

  @Test func aServiceDeletedWhileRestartingIsNotBroughtBack() async throws {
    try await Self.with(provisionDelay: 0.3) { lifecycle in
      let service = try await Self.create(lifecycle)
      await lifecycle.work.waitUntilIdle(service.id)
      #expect(await lifecycle.state.service(service.id)?.state == .running)
      #expect(try await lifecycle.restart(service.id).state == .restarting)
      try await lifecycle.delete(service)
      #expect(await Self.statesUntilIdle(lifecycle, service.id) == ["deleting", "gone"])
    }
  }

  @Test func onlyARunningServiceRestarts() async throws {
    try await Self.with(provisionDelay: 0.3) { lifecycle in
      let service = try await Self.create(lifecycle)
      await #expect(throws: APIError.self) { try await lifecycle.restart(service.id) }
      #expect(await lifecycle.state.service(service.id)?.state == .creating)
    }
  }

  @Test func concurrentReplicaRequestsShareOneReplicationRole() async throws {
    try await Self.with(provisionDelay: 0) { lifecycle in
      let primary = try await Self.create(lifecycle)
      await lifecycle.work.waitUntilIdle(primary.id)
      let record = try #require(await lifecycle.state.service(primary.id))
      let passwords = try await withThrowingTaskGroup(of: String.self) { group in
        for _ in 0..<8 { group.addTask { try await lifecycle.replicationPassword(for: record) } }
        return try await group.reduce(into: Set<String>()) { $0.insert($1) }
      }
      #expect(passwords.count == 1)
      #expect(await lifecycle.state.service(primary.id)?.replicationPassword == passwords.first)
    }
  }

  @Test func aFreshAddressIsNoneOfTheTriedOnes() async throws {
    try await Self.with(provisionDelay: 0) { lifecycle in
      let service = try await Self.create(lifecycle)
      let block = lifecycle.addressBlock
      // Every address of the first range but one has been tried.
      let tried = Set((1...249).map { "127.77.\(block).\($0)" }).union([service.hostname])
      for _ in 0..<20 {
        let moved = try #require(try await lifecycle.state.moveToFreshAddress(service.id, block: block, avoiding: tried))
        #expect(!tried.contains(moved.hostname), "\(moved.hostname) was tried already")
      }
    }
  }
}
