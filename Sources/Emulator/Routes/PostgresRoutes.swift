import Hummingbird
import JQ
import PostgresAPISpec

/// The Managed Postgres endpoints under `/v1/organizations/{organizationId}/postgres`: each decodes and
/// validates its request, calls `ServiceLifecycle` and encodes the answer.
struct PostgresRoutes {
  let state: EmulatorState
  let authority: CertificateAuthority
  let lifecycle: ServiceLifecycle
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
      try await lifecycle.delete(service)
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
    return try await lifecycle.create(request).json(withCredentials: true)
  }

  private func patch(_ service: ServiceRecord, _ body: JSONValue?) async throws -> JSONValue {
    let request = try Self.validated { () throws(ValidationFailure) in
      try validator.validatePatch(body, provider: service.provider)
    }
    return try await lifecycle.patch(service, with: request).json(withCredentials: false)
  }

  /// `PATCH …/password`: a generated password comes back with the connection string (the only time
  /// besides the create response that credentials are shown); a given one gets an empty object.
  private func resetPassword(_ service: ServiceRecord, _ body: JSONValue?) async throws -> JSONValue {
    let request = try Self.validated { () throws(ValidationFailure) in try validator.validatePassword(body) }
    let updated = try await lifecycle.resetPassword(service, to: request.password)
    if request.password != nil { return JSONValue(object: []) }
    return JSONValue(object: [
      ("password", JSONValue(updated.password)), ("connectionString", JSONValue(updated.connectionString)),
    ])
  }

  /// `PATCH …/state`: `restart`, `promote` or `switchover`.
  private func changeState(_ service: ServiceRecord, _ body: JSONValue?) async throws -> JSONValue {
    let request = try Self.validated { () throws(ValidationFailure) in try validator.validateState(body) }
    let updated: ServiceRecord
    switch request.command {
    case .restart: updated = try await lifecycle.restart(service.id)
    case .promote: updated = try await lifecycle.promote(service)
    case .switchover: updated = try await lifecycle.switchover(service)
    }
    return updated.json(withCredentials: false)
  }

  /// `GET …/config`.
  private func configuration(of service: ServiceRecord) -> JSONValue {
    JSONValue(object: [
      ("pgConfig", JSONValue(object: service.pgConfig)),
      ("pgBouncerConfig", JSONValue(object: service.pgBouncerConfig.map { ($0.0, JSONValue($0.1)) })),
    ])
  }

  /// `POST …/config` replaces the configuration, `PATCH …/config` merges into it; the answer names the
  /// settings that need a restart.
  private func updateConfiguration(_ service: ServiceRecord, _ body: JSONValue?, replacing: Bool) async throws -> JSONValue {
    let request = try Self.validated { () throws(ValidationFailure) in try validator.validateConfig(body) }
    let (updated, needsRestart) = try await lifecycle.updateConfiguration(service, with: request, replacing: replacing)
    let message =
      needsRestart.isEmpty
      ? "Configuration applied."
      : "Configuration applied. These parameters take effect after a restart: \(needsRestart.joined(separator: ", "))."
    return configuration(of: updated).setting("message", to: JSONValue(message))!
  }
}
