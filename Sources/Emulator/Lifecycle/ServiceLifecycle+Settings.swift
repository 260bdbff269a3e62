import JQ
import PostgresAPISpec
import PostgresCluster

extension ServiceLifecycle {
  /// `PATCH …/password`: sets the given password, or generates one. Returns the password set.
  func resetPassword(_ service: ServiceRecord, to requested: String?) async throws -> ServiceRecord {
    try Self.refuseChange(of: service)
    try requireRunning(service)
    let password = requested ?? Identifiers.password()
    try await clusters?.setPassword(serviceID: service.id, password)
    guard let updated = try await state.update(service.id, { $0.password = password }) else {
      throw APIError.invalidServiceID(service.id)
    }
    // Replicas replay the change: their superuser has the new password too.
    for replica in await state.replicas(of: service.id) { _ = try? await state.update(replica.id) { $0.password = password } }
    return updated
  }

  /// `POST …/config` replaces the configuration, `PATCH …/config` merges into it; both apply the
  /// settings with `ALTER SYSTEM` and a reload. Returns the service and the settings that need a restart.
  func updateConfiguration(_ service: ServiceRecord, with request: ConfigRequest, replacing: Bool) async throws
    -> (service: ServiceRecord, needsRestart: [String])
  {
    try requireRunning(service)
    let settings = request.pgConfig.map { ($0.name, $0.settingText) }
    let needsRestart: [String]
    do {
      needsRestart = try await clusters?.apply(serviceID: service.id, settings: settings) ?? []
    } catch let error as ClusterError {
      // PostgreSQL itself refused a value the spec allows (out of its range): the body's fault, a 400.
      switch error {
      case .sqlFailed(let message), .invalidValue(let message):
        throw APIError.badRequest("request body: pgConfig was refused by PostgreSQL: \(message)")
      default:
        throw APIError.internalError("could not apply the configuration: \(error)")
      }
    }
    let updated = try await state.update(service.id) { record in
      if replacing {
        record.pgConfig = request.pgConfig.map { ($0.name, $0.value) }
        record.pgBouncerConfig = request.pgBouncerConfig.map { ($0.name, $0.value) }
      } else {
        for entry in request.pgConfig {
          record.pgConfig.removeAll { $0.0 == entry.name }
          record.pgConfig.append((entry.name, entry.value))
        }
        for entry in request.pgBouncerConfig {
          record.pgBouncerConfig.removeAll { $0.0 == entry.name }
          record.pgBouncerConfig.append((entry.name, entry.value))
        }
      }
    }
    guard let updated else { throw APIError.invalidServiceID(service.id) }
    return (updated, needsRestart)
  }
}
