import Hummingbird
import JQ

/// The Managed Postgres endpoints under `/v1/organizations/{organizationId}/postgres`.
struct PostgresRoutes {
  let state: EmulatorState
  let authority: CertificateAuthority
  let clusters: (any ClusterBackend)?
  let provisionDelay: Double

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
    router.get(Self.path("/:postgresId/caCertificates")) { _, context in
      _ = try await resolve(context)
      var response = Response(status: .ok, headers: [.contentType: "application/x-pem-file"], body: .init(byteBuffer: ByteBuffer(string: authority.certificatePEM)))
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
  private func resolve(_ context: EmulatorContext) async throws -> ServiceRecord {
    try checkOrganization(context)
    let id = context.parameters.get("postgresId") ?? ""
    guard Identifiers.isUUID(id) else { throw APIError.invalidServiceID(id) }
    if let service = await state.service(id.lowercased()) { return service }
    if await state.wasDeleted(id.lowercased()) { throw APIError.notFound("Postgres service \(id) was deleted") }
    throw APIError.invalidServiceID(id)
  }

  static func body(of request: Request) async throws -> JSONValue {
    var request = request
    let buffer = try await request.collectBody(upTo: 1 << 20)
    let bytes = buffer.readableBytesView
    guard !bytes.isEmpty else { throw APIError.badRequest("request body is missing; send a JSON object") }
    do {
      let value = try JSONValue(parsing: Array(bytes))
      guard value.kind == .object else { throw APIError.badRequest("request body must be a JSON object") }
      return value
    } catch let error as JSONParseError {
      throw APIError.badRequest("request body is not valid JSON: \(error.message)")
    }
  }

  // MARK: Operations

  private func create(_ body: JSONValue) async throws -> JSONValue {
    let address = await nextAddress()
    let record = ServiceRecord(
      id: Identifiers.uuid(),
      name: body["name"]?.stringValue ?? "",
      provider: body["provider"]?.stringValue ?? "aws",
      region: body["region"]?.stringValue ?? "",
      postgresVersion: body["postgresVersion"]?.stringValue ?? "17",
      size: body["size"]?.stringValue ?? "",
      haType: body["haType"]?.stringValue ?? "none",
      tags: (body["tags"]?.arrayElements ?? []).map { .init(key: $0["key"]?.stringValue ?? "", value: $0["value"]?.stringValue ?? "") },
      storageSize: 0,
      hostname: address,
      port: 5432,
      password: Identifiers.password()
    )
    try await state.insert(record)
    startProvisioning(record)
    return record.json(withCredentials: true)
  }

  private func patch(_ service: ServiceRecord, _ body: JSONValue) async throws -> JSONValue {
    let updated = try await state.update(service.id) { record in
      if let name = body["name"]?.stringValue { record.name = name }
      if let size = body["size"]?.stringValue { record.size = size }
      if let haType = body["haType"]?.stringValue { record.haType = haType }
      if let tags = body["tags"]?.arrayElements {
        record.tags = tags.map { .init(key: $0["key"]?.stringValue ?? "", value: $0["value"]?.stringValue ?? "") }
      }
    }
    guard let updated else { throw APIError.invalidServiceID(service.id) }
    return updated.json(withCredentials: false)
  }

  private func delete(_ service: ServiceRecord) async throws {
    try await state.update(service.id) { $0.state = "deleting" }
    let clusters = clusters
    let state = state
    Task {
      try? await clusters?.remove(serviceID: service.id)
      try? await state.remove(service.id)
    }
  }

  private func startProvisioning(_ record: ServiceRecord) {
    let clusters = clusters
    let state = state
    let delay = provisionDelay
    let authority = authority
    Task {
      do {
        if let clusters {
          let tls = try authority.issueServerCertificate(address: record.hostname, hostnames: ["localhost"])
          let endpoint = try await clusters.create(serviceID: record.id, majorVersion: record.postgresVersion, address: record.hostname, password: record.password, tls: tls)
          try await state.update(record.id) { $0.hostname = endpoint.host; $0.port = endpoint.port }
        }
        if delay > 0 { try await Task.sleep(nanoseconds: UInt64(delay * 1e9)) }
        try await state.update(record.id) { $0.state = "running" }
      } catch {
        try? await state.update(record.id) { $0.state = "unavailable" }
      }
    }
  }

  /// A loopback address of its own for each service: 127.77.x.y (Linux routes all of 127/8 to lo).
  private func nextAddress() async -> String {
    let used = await state.usedAddresses()
    var index = 0
    while true {
      let address = "127.77.\(index / 250).\(index % 250 + 1)"
      if !used.contains(address) { return address }
      index += 1
    }
  }
}
