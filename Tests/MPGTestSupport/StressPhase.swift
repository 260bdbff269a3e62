import Foundation
import Testing

/// Tests that load the machine on their own (dozens of clusters at once, processes killed mid-work).
/// `scripts/test` runs them in a phase of their own, after the others: run beside the rest of the suite
/// on two cores they starve it (CI saw a service of another test stay `creating` for a minute), and their
/// figures mean nothing.
public enum StressPhase {
  /// Set to 1 by `scripts/test` for its stress phase.
  public static let environmentVariable = "MPG_STRESS_PHASE"

  /// Whether this run is the stress phase.
  public static var isOn: Bool { ProcessInfo.processInfo.environment[environmentVariable] == "1" }
}

extension Trait where Self == ConditionTrait {
  /// Runs the suite only in the stress phase (`MPG_STRESS_PHASE=1`).
  public static var stressPhase: Self {
    .enabled(if: StressPhase.isOn, "runs alone in the stress phase of scripts/test (MPG_STRESS_PHASE=1)")
  }
}
