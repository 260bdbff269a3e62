import PostgresAPISpec
import PostgresCluster

extension ServiceLifecycle {
  /// A new service, `creating` until its cluster runs. Returns the record the create response shows
  /// (with its credentials, the only time they are shown besides a generated password reset).
  func create(_ request: CreateRequest) async throws -> ServiceRecord {
    try requireInstalled(request.postgresVersion)
    let address = await nextAddress()
    var record = ServiceRecord(
      id: Identifiers.uuid(),
      name: request.name,
      provider: request.provider,
      region: request.region,
      postgresVersion: request.postgresVersion,
      size: request.size,
      haType: request.haType,
      tags: request.tags,
      storageSize: request.storageSize,
      hostname: address,
      port: 5432,
      password: Identifiers.password()
    )
    record.pgConfig = (request.pgConfig ?? []).map { ($0.name, $0.value) }
    record.pgBouncerConfig = (request.pgBouncerConfig ?? []).map { ($0.name, $0.value) }
    if let rules = request.ipAccessList { record.ipAccessList = rules.map(Self.newRule) }
    try await state.insert(record)
    await startProvisioning(record)
    return record
  }

  /// A rule as sent, with an id of its own.
  static func newRule(_ request: IPAccessRuleRequest) -> IPAccessRule {
    IPAccessRule(id: Identifiers.uuid(), source: request.source, portRange: request.portRange, description: request.description)
  }

  /// How many addresses a new service's cluster is tried on before the service is `unavailable`.
  static let clusterStartAttempts = 3

  func startProvisioning(_ record: ServiceRecord) async {
    let delay = provisionDelay
    let block = addressBlock
    await work.enqueue(record.id) { [self] in
      do {
        if let clusters {
          var record = record
          var tried: Set<String> = []
          var endpoint: (host: String, port: Int)
          while true {
            do {
              let tls = try authority.issueServerCertificate(address: record.hostname, hostnames: ["localhost"])
              endpoint = try await clusters.create(
                serviceID: record.id, majorVersion: record.postgresVersion, address: record.hostname, password: record.password,
                tls: tls)
              break
            } catch let error as ClusterError
              where error.isStartFailure && tried.count + 1 < Self.clusterStartAttempts && !Task.isCancelled
            {
              // Another process can take the address between the emulator's check and PostgreSQL's bind.
              logger.notice(
                "service \(record.id): its cluster did not start on \(record.hostname) (\(error)); trying a fresh address")
              try? await clusters.remove(serviceID: record.id)
              tried.insert(record.hostname)
              guard let moved = try await state.moveToFreshAddress(record.id, block: block, avoiding: tried) else { return }
              record = moved
            }
          }
          let updated = try await state.update(record.id) {
            $0.hostname = endpoint.host; $0.port = endpoint.port
          }
          // The template lets any address in, which is the default; other rules go in before `running`.
          if let sources = updated?.allowedSources, sources != ["0.0.0.0/0"] {
            try await clusters.allowConnections(serviceID: record.id, from: sources)
          }
        }
        if delay > 0 { try await Task.sleep(nanoseconds: UInt64(delay * 1e9)) }
        try await settle(record.id, in: .running)
      } catch {
        // Cancelled by shutdown: the state file keeps `creating`, and the next start provisions again.
        guard !Task.isCancelled else { return }
        await fail(record.id, "provisioning", error)
      }
    }
  }
}
