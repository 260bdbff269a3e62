/// Lookups across services that read replicas and restores need.
extension EmulatorState {
  /// The read replicas following `primaryID` (those still being made included).
  func replicas(of primaryID: String) -> [ServiceRecord] {
    services.filter { $0.parentID == primaryID }
  }
}
