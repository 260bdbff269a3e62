import PostgresAPISpec
import Testing

@testable import Emulator

/// The emulator's states and the moves between them, in the one table every route follows.
struct ServiceStateTests {
  @Test func theStatesAreTheSpecsEnum() {
    #expect(ServiceState.allCases.map(\.rawValue) == PostgresSpec.serviceStates)
    #expect(ServiceState.transitions.keys.count == ServiceState.allCases.count, "every state has a row")
  }

  @Test func restartsBeginOnlyOnARunningService() throws {
    for state in ServiceState.allCases {
      var record = ServiceRecord(
        id: "id", name: "n", provider: "aws", region: "us-east-1", postgresVersion: "18", size: "r8gd.medium", haType: "none",
        tags: [],
        storageSize: 118, hostname: "127.0.0.1", port: 5432, password: "Password-123")
      try record.move(to: .running)
      // Only states a running service can reach.
      guard state == .running || ServiceState.running.canMove(to: state) else { continue }
      try record.move(to: state)
      if state == .running {
        try record.beginRestart(refusing: "only a running service can be restarted")
        #expect(record.state == .restarting)
      } else {
        #expect(throws: APIError.self) { try record.beginRestart(refusing: "only a running service can be restarted") }
        #expect(record.state == state)
      }
    }
  }

  @Test func everyStateCanBeDeletedAndDeletingIsTheEnd() {
    for state in ServiceState.allCases where state != .deleting {
      #expect(state.canMove(to: .deleting), "\(state) cannot be deleted")
    }
    #expect(ServiceState.allCases.allSatisfy { $0 == .deleting || !ServiceState.deleting.canMove(to: $0) })
  }

  @Test func everyStateIsReachedFromCreationAndRunningIsReachedFromEveryLiveState() {
    var reached: Set<ServiceState> = [.creating]
    var frontier: [ServiceState] = [.creating]
    while let state = frontier.popLast() {
      for next in ServiceState.transitions[state] ?? [] where !reached.contains(next) {
        reached.insert(next)
        frontier.append(next)
      }
    }
    // `stopped` is the spec's, for services the emulator never stops; it only reads it from old state files.
    #expect(reached == Set(ServiceState.allCases).subtracting([.stopped]))
    for state in ServiceState.allCases where state != .deleting {
      #expect(state.canMove(to: .running), "\(state) can never run again")
    }
  }

  @Test func aRecordMovesOnlyAlongTheTable() throws {
    var record = ServiceRecord(
      id: "id", name: "n", provider: "aws", region: "us-east-1", postgresVersion: "18", size: "r8gd.medium", haType: "none",
      tags: [], storageSize: 118, hostname: "127.0.0.1", port: 5432, password: "Password-123")
    #expect(throws: IllegalMove.self) { try record.move(to: .restarting) }
    #expect(record.state == .creating)
    try record.move(to: .deleting)
    for state in ServiceState.allCases where state != .deleting {
      #expect(throws: IllegalMove.self) { try record.move(to: state) }
    }
    #expect(record.state == .deleting)
  }

  @Test func transitionsOutsideTheTableAreRefused() {
    #expect(!ServiceState.creating.canMove(to: .restarting))
    #expect(!ServiceState.restarting.canMove(to: .restoringBackup))
    #expect(!ServiceState.running.canMove(to: .creating))
    #expect(ServiceState.running.canMove(to: .running))
  }
}
