import Hummingbird
import JQ
import PostgresAPISpec
import Logging
import PostgresCluster

/// The Managed Postgres endpoints under `/v1/organizations/{organizationId}/postgres`.
struct PostgresRoutes {
  let state: EmulatorState
  let authority: CertificateAuthority
  let clusters: (any ClusterBackend)?
  let provisionDelay: Double
  /// How long a size or haType change keeps the service in its transition state.
  let transitionDuration: Double
  /// Provisioning, restarts, resizes and removal, one after another per service.
  let work: ServiceWork
  let logger: Logger
  let validator = RequestValidator()

  private static let base = "/v1/organizations/:organizationId/postgres"
  private static func path(_ suffix: String = "") -> RouterPath { RouterPath(base + suffix) }

  func register(on router: Router<EmulatorContext>) {
    router.get(Self.path()) { _, context in
      try checkOrganization(context)
      let services = await state.services.map { $0.json(withCredentials: false) }
      return Envelope.success(JSONValue(array: services), requestID: context.requestID)
    }
    router.post(Self.path()) { request, context in
      try checkOrganization(context)
      let body = try await Self.body(of: request)
      return Envelope.success(try await create(body), requestID: context.requestID)
    }
    router.get(Self.path("/:postgresId")) { _, context in
      let service = try await resolve(context)
      return Envelope.success(service.json(withCredentials: false), requestID: context.requestID)
    }
    router.patch(Self.path("/:postgresId")) { request, context in
      let service = try await resolve(context)
      let body = try await Self.body(of: request)
      return Envelope.success(try await patch(service, body), requestID: context.requestID)
    }
    router.delete(Self.path("/:postgresId")) { _, context in
      let service = try await resolve(context)
      try await delete(service)
      return Envelope.success(nil, requestID: context.requestID)
    }
    router.patch(Self.path("/:postgresId/password")) { request, context in
      let service = try await resolve(context)
      let body = try await Self.body(of: request)
      return Envelope.success(try await resetPassword(service, body), requestID: context.requestID)
    }
    router.patch(Self.path("/:postgresId/state")) { request, context in
      let service = try await resolve(context)
      let body = try await Self.body(of: request)
      return Envelope.success(try await changeState(service, body), requestID: context.requestID)
    }
    router.get(Self.path("/:postgresId/config")) { _, context in
      let service = try await resolve(context)
      return Envelope.success(configuration(of: service), requestID: context.requestID)
    }
    router.post(Self.path("/:postgresId/config")) { request, context in
      let service = try await resolve(context)
      let body = try await Self.body(of: request)
      return Envelope.success(try await updateConfiguration(service, body, replacing: true), requestID: context.requestID)
    }
    router.patch(Self.path("/:postgresId/config")) { request, context in
      let service = try await resolve(context)
      let body = try await Self.body(of: request)
      return Envelope.success(try await updateConfiguration(service, body, replacing: false), requestID: context.requestID)
    }
    router.get(Self.path("/:postgresId/caCertificates")) { _, context in
      _ = try await resolve(context)
      var response = Response(
        status: .ok, headers: [.contentType: "application/x-pem-file"],
        body: .init(byteBuffer: ByteBuffer(string: authority.certificatePEM)))
      response.headers[.contentDisposition] = #"attachment; filename="postgres-ca-certificate.pem""#
      return response
    }
  }

  // MARK: Lookups

  private func checkOrganization(_ context: EmulatorContext) throws {
    guard context.parameters.get("organizationId") == state.organization.id else { throw APIError.organizationNotFound }
  }

  /// The service named in the path: another organization is `NOT_FOUND`, a malformed or unknown id
  /// `BAD_REQUEST: Invalid Postgres service id …`, a deleted one 404.
  func resolve(_ context: EmulatorContext) async throws -> ServiceRecord {
    try checkOrganization(context)
    let id = context.parameters.get("postgresId") ?? ""
    guard Identifiers.isUUID(id) else { throw APIError.invalidServiceID(id) }
    if let service = await state.service(id.lowercased()) { return service }
    if await state.wasDeleted(id.lowercased()) { throw APIError.notFound("Postgres service \(id) was deleted") }
    throw APIError.invalidServiceID(id)
  }

  /// The request body parsed by jq's parser; `nil` when there is none. Malformed JSON is a 400.
  static func body(of request: Request) async throws -> JSONValue? {
    var request = request
    let buffer = try await request.collectBody(upTo: APIGatewayMiddleware.maximumBodySize)
    return try validated { () throws(ValidationFailure) in try RequestValidator.parseBody(buffer.readableBytesView) }
  }

  /// Runs a validation and turns its failure into the API's 400.
  static func validated<Value>(_ check: () throws(ValidationFailure) -> Value) throws -> Value {
    do {
      return try check()
    } catch {
      throw APIError(status: .badRequest, text: error.message)
    }
  }

  // MARK: Operations

  private func create(_ body: JSONValue?) async throws -> JSONValue {
    let request = try Self.validated { () throws(ValidationFailure) in try validator.validateCreate(body) }
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
    return record.json(withCredentials: true)
  }

  /// A JSON merge patch of name, size, haType and tags (`tags` replaces the whole list). A new size or
  /// haType moves the service to a new instance: it passes through `restarting` back to `running`.
  private func patch(_ service: ServiceRecord, _ body: JSONValue?) async throws -> JSONValue {
    let request = try Self.validated { () throws(ValidationFailure) in
      try validator.validatePatch(body, provider: service.provider)
    }
    try ReplicaRoutes.refuseChange(of: service)
    var changesInstance = false
    let updated = try await state.update(service.id) { record in
      guard record.state != .deleting else { throw APIError.badRequest("Postgres service \(record.id) is being deleted") }
      changesInstance = (request.size.map { $0 != record.size } ?? false) || (request.haType.map { $0 != record.haType } ?? false)
      if changesInstance {
        try record.beginRestart(refusing: "size and haType change only on a running service")
      }
      if let name = request.name { record.name = name }
      if let size = request.size {
        record.size = size
        record.storageSize = PostgresSpec.storageSize(for: size) ?? record.storageSize
      }
      if let haType = request.haType { record.haType = haType }
      if let tags = request.tags { record.tags = tags }
      if let change = request.ipAccessList {
        // Removals first, then additions; a removal must name a rule the service has.
        for id in change.remove where !record.ipAccessList.contains(where: { $0.id == id }) {
          throw APIError.badRequest("request body: ipAccessList.remove names no rule of Postgres service \(record.id): \(id)")
        }
        record.ipAccessList.removeAll { change.remove.contains($0.id) }
        record.ipAccessList += change.add.map(Self.newRule)
      }
    }
    guard let updated else { throw APIError.invalidServiceID(service.id) }
    if request.ipAccessList != nil, updated.state != .creating {
      // A service still being created gets its rules when its cluster starts.
      try await clusters?.allowConnections(serviceID: service.id, from: updated.allowedSources)
    }
    if changesInstance { await startInstanceChange(service.id) }
    return updated.json(withCredentials: false)
  }

  /// The transition of a size or haType change. Live, the service moves to a new instance that catches up
  /// with the old one and then takes over, which drops connections once; here the transition lasts
  /// `transitionDuration` and ends with a real restart of the same cluster.
  private func startInstanceChange(_ serviceID: String) async {
    let clusters = clusters
    let state = state
    let duration = transitionDuration
    let logger = logger
    await work.enqueue(serviceID) {
      do {
        if duration > 0 { try await Task.sleep(nanoseconds: UInt64(duration * 1e9)) }
        try await clusters?.restart(serviceID: serviceID)
        try await state.update(serviceID) { $0.state = .running }
      } catch {
        // Cancelled by shutdown: the state file keeps `restarting`, and the next start finishes it.
        guard !Task.isCancelled else { return }
        logger.error("service \(serviceID): the size or haType change failed: \(error)")
        _ = try? await state.update(serviceID) { $0.state = .unavailable }
      }
    }
  }

  /// `PATCH …/password`: sets the given password, or generates one and returns it (the only time
  /// besides the create response that credentials are shown).
  private func resetPassword(_ service: ServiceRecord, _ body: JSONValue?) async throws -> JSONValue {
    let request = try Self.validated { () throws(ValidationFailure) in try validator.validatePassword(body) }
    try ReplicaRoutes.refuseChange(of: service)
    try requireRunning(service)
    let password = request.password ?? Identifiers.password()
    try await clusters?.setPassword(serviceID: service.id, password)
    guard let updated = try await state.update(service.id, { $0.password = password }) else {
      throw APIError.invalidServiceID(service.id)
    }
    // Replicas replay the change: their superuser has the new password too.
    for replica in await state.replicas(of: service.id) { _ = try? await state.update(replica.id) { $0.password = password } }
    if request.password != nil { return JSONValue(object: []) }
    return JSONValue(object: [("password", JSONValue(password)), ("connectionString", JSONValue(updated.connectionString))])
  }

  /// `PATCH …/state`: `restart` passes through `restarting` back to `running` with a real restart.
  private func changeState(_ service: ServiceRecord, _ body: JSONValue?) async throws -> JSONValue {
    let request = try Self.validated { () throws(ValidationFailure) in try validator.validateState(body) }
    switch request.command {
    case .restart:
      let updated = try await state.update(service.id) { record in
        try record.beginRestart(refusing: "only a running service can be restarted")
      }
      guard let updated else { throw APIError.invalidServiceID(service.id) }
      let clusters = clusters
      let state = state
      let delay = provisionDelay
      await work.enqueue(service.id) {
        do {
          if delay > 0 { try await Task.sleep(nanoseconds: UInt64(delay * 1e9)) }
          try await clusters?.restart(serviceID: service.id)
          try await state.update(service.id) { $0.state = .running }
        } catch {
          guard !Task.isCancelled else { return }
          _ = try? await state.update(service.id) { $0.state = .unavailable }
        }
      }
      return updated.json(withCredentials: false)
    case .promote:
      return try await ReplicaRoutes(postgres: self).promote(service)
    case .switchover:
      return try await ReplicaRoutes(postgres: self).switchover(service)
    }
  }

  /// `GET …/config`.
  private func configuration(of service: ServiceRecord) -> JSONValue {
    JSONValue(object: [
      ("pgConfig", JSONValue(object: service.pgConfig)),
      ("pgBouncerConfig", JSONValue(object: service.pgBouncerConfig.map { ($0.0, JSONValue($0.1)) })),
    ])
  }

  /// `POST …/config` replaces the configuration, `PATCH …/config` merges into it; both apply the
  /// settings with `ALTER SYSTEM` and a reload and name those that need a restart.
  private func updateConfiguration(_ service: ServiceRecord, _ body: JSONValue?, replacing: Bool) async throws -> JSONValue {
    let request = try Self.validated { () throws(ValidationFailure) in try validator.validateConfig(body) }
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
    let message =
      needsRestart.isEmpty
      ? "Configuration applied."
      : "Configuration applied. These parameters take effect after a restart: \(needsRestart.joined(separator: ", "))."
    return configuration(of: updated).setting("message", to: JSONValue(message))!
  }

  /// DELETE: the service shows `deleting` until its cluster is gone, then answers 404. A DELETE of a
  /// service already being deleted succeeds and changes nothing.
  private func delete(_ service: ServiceRecord) async throws {
    try await ReplicaRoutes(postgres: self).refuseDeletionWithReplicas(service)
    var alreadyDeleting = false
    try await state.update(service.id) { record in
      alreadyDeleting = record.state == .deleting
      record.state = .deleting
    }
    if !alreadyDeleting { await startRemoval(service.id) }
  }

  /// Removes the cluster once the service's earlier work (a create still running, say) is done.
  private func startRemoval(_ serviceID: String) async {
    let clusters = clusters
    let state = state
    let logger = logger
    await work.enqueue(serviceID) {
      do {
        try await clusters?.remove(serviceID: serviceID)
      } catch {
        // Cancelled by shutdown: the state file keeps `deleting`, and the next start finishes it.
        guard !Task.isCancelled else { return }
        logger.error("service \(serviceID): removing the cluster failed: \(error)")
      }
      try? await state.remove(serviceID)
    }
  }

  /// A rule as sent, with an id of its own.
  static func newRule(_ request: IPAccessRuleRequest) -> IPAccessRule {
    IPAccessRule(id: Identifiers.uuid(), source: request.source, portRange: request.portRange, description: request.description)
  }

  private func startProvisioning(_ record: ServiceRecord) async {
    let clusters = clusters
    let state = state
    let delay = provisionDelay
    let authority = authority
    let logger = logger
    let block = addressBlock
    await work.enqueue(record.id) {
      do {
        if let clusters {
          var record = record
          var attempt = 1
          var endpoint: (host: String, port: Int)
          while true {
            do {
              let tls = try authority.issueServerCertificate(address: record.hostname, hostnames: ["localhost"])
              endpoint = try await clusters.create(
                serviceID: record.id, majorVersion: record.postgresVersion, address: record.hostname, password: record.password,
                tls: tls)
              break
            } catch let error as ClusterError
              where error.isStartFailure && attempt < Self.clusterStartAttempts && !Task.isCancelled
            {
              // Another process can take the address between the emulator's check and PostgreSQL's bind.
              logger.notice(
                "service \(record.id): its cluster did not start on \(record.hostname) (\(error)); trying a fresh address")
              try? await clusters.remove(serviceID: record.id)
              guard let moved = try await state.moveToFreshAddress(record.id, block: block) else { return }
              record = moved
              attempt += 1
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
        try await state.update(record.id) { $0.state = .running }
      } catch {
        // Cancelled by shutdown: the state file keeps `creating`, and the next start provisions again.
        guard !Task.isCancelled else { return }
        logger.error("service \(record.id): provisioning failed: \(error)")
        _ = try? await state.update(record.id) { $0.state = .unavailable }
      }
    }
  }

  /// After a restart of the emulator: running services get their clusters started again (a restart or a
  /// size/haType change that was cut short ends there, in `running`), creates that were cut short are
  /// provisioned again from scratch, deletes are finished.
  func reconcile() async {
    for service in await state.services {
      switch service.state {
      case .deleting:
        await startRemoval(service.id)
      case .creating:
        await startProvisioning(service)
      case .running, .restarting:
        do {
          try await clusters?.start(serviceID: service.id)
          _ = try? await state.update(service.id) { $0.state = .running }
        } catch {
          _ = try? await state.update(service.id) { $0.state = .unavailable }
        }
      default:
        break
      }
    }
  }

  /// A new service's major must be one the emulator can run: never a service that says 18 and runs
  /// another major. The answer names the command that installs it.
  func requireInstalled(_ postgresVersion: String) throws {
    guard let clusters, let major = Int(postgresVersion), !clusters.servableMajors.contains(major) else { return }
    let installed = clusters.servableMajors.map(String.init).joined(separator: ", ")
    throw APIError.badRequest(
      "postgresVersion \(postgresVersion): PostgreSQL \(major) is not installed for this emulator (it serves \(installed.isEmpty ? "none" : installed)); install it with `mpg emulator postgres install \(major)`"
    )
  }

  /// Operations that need the cluster answer 400 while it is not running (still creating, failed, …).
  func requireRunning(_ service: ServiceRecord) throws {
    guard service.state == .running else {
      throw APIError.badRequest("Postgres service \(service.id) is \(service.state), not running")
    }
  }

  /// A loopback address of its own for each service: 127.77.H.x, where H comes from the organization id,
  /// so two emulators on one machine (parallel tests, a demo beside a test run) do not pick the same
  /// addresses. Linux routes all of 127/8 to lo.
  func nextAddress() async -> String {
    await state.reserveAddress(block: addressBlock)
  }

  /// The third byte of this emulator's service addresses, from its organization id.
  var addressBlock: Int {
    var hash: UInt32 = 2_166_136_261
    for byte in state.organization.id.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
    return Int(hash % 250) + 1
  }

  /// How many addresses a new service's cluster is tried on before the service is `unavailable`.
  static let clusterStartAttempts = 3

}
