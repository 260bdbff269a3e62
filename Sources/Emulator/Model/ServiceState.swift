/// A service's state, as the API's `pgStateProperty` enum names it (the raw values are the wire's),
/// with the moves between states the emulator makes, in one table.
enum ServiceState: String, CaseIterable, Sendable, CustomStringConvertible {
  case creating
  case restarting
  case running
  case replayingWAL = "replaying_wal"
  case restoringBackup = "restoring_backup"
  case finalizingRestore = "finalizing_restore"
  case unavailable
  case stopped
  case deleting

  /// The states a service may move to from each state. Staying put is always allowed. `deleting`
  /// is the end: the record goes once the cluster is removed.
  static let transitions: [ServiceState: Set<ServiceState>] = [
    // Provisioning ends running or failed; a replica or a restored service starts from a backup.
    .creating: [.running, .unavailable, .restoringBackup, .deleting],
    // Restart, a size or haType change, promotion and switchover pass through restarting.
    .running: [.restarting, .unavailable, .deleting],
    .restarting: [.running, .unavailable, .deleting],
    // A replica or a restored service: the base backup, then the WAL, then (a restore) the finish;
    // one cut short by a restart of the emulator starts again from the backup.
    .restoringBackup: [.replayingWAL, .running, .unavailable, .deleting],
    .replayingWAL: [.finalizingRestore, .running, .restoringBackup, .unavailable, .deleting],
    .finalizingRestore: [.running, .restoringBackup, .unavailable, .deleting],
    // After the emulator restarts, a failed service's cluster is started again when it can be.
    .unavailable: [.running, .restarting, .restoringBackup, .deleting],
    .stopped: [.running, .deleting],
    .deleting: [],
  ]

  /// Whether a service in this state may move to `next`.
  func canMove(to next: ServiceState) -> Bool {
    next == self || (Self.transitions[self]?.contains(next) ?? false)
  }

  /// The wire's name, also in messages (`is restoring_backup, not running`).
  var description: String { rawValue }

  /// Whether the service's cluster is being made from a backup (a replica's or a restore's).
  var isRestoring: Bool { self == .restoringBackup || self == .replayingWAL }
}

/// A move of a service's state that `ServiceState.transitions` does not have: a job that ends after
/// the service moved on (to `deleting`, say) is refused rather than bringing it back.
struct IllegalMove: Error, CustomStringConvertible {
  let serviceID: String
  let from: ServiceState
  let to: ServiceState

  var description: String { "service \(serviceID) cannot move from \(from) to \(to)" }
}
