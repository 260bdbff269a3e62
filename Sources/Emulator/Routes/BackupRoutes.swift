import Hummingbird
import JQ

/// `GET …/{postgresId}/backups?cursor=…&limit=…`: the base backups the emulator really took (see
/// `BackupSchedule`), newest first, `limit` (1–100, default 100) at a time. `nextCursor`, beside
/// `result`, is the key of the page's last backup; it continues the listing after that backup.
struct BackupRoutes {
  let postgres: PostgresRoutes

  /// The largest page.
  static let maximumLimit = 100

  func register(on router: Router<EmulatorContext>) {
    router.get(RouterPath("/v1/organizations/:organizationId/postgres/:postgresId/backups")) { request, context in
      let service = try await postgres.resolve(context)
      let parameters = request.uri.queryParameters
      return try page(of: service, cursor: parameters.get("cursor"), limit: parameters.get("limit"), requestID: context.requestID)
    }
  }

  private func page(of service: ServiceRecord, cursor: String?, limit limitText: String?, requestID: String) throws -> Response {
    var limit = Self.maximumLimit
    if let limitText {
      guard let value = Int(limitText), (1...Self.maximumLimit).contains(value) else {
        throw APIError.badRequest("limit must be an integer from 1 to \(Self.maximumLimit), not \(limitText)")
      }
      limit = value
    }
    var backups = Array(service.backups.reversed())
    if let cursor {
      guard let index = backups.firstIndex(where: { $0.key == cursor }) else {
        throw APIError.badRequest("cursor \(cursor) names no backup of Postgres service \(service.id)")
      }
      backups = Array(backups[(index + 1)...])
    }
    let shown = backups.prefix(limit)
    var members: [(String, JSONValue)] = [("result", JSONValue(array: shown.map(\.json)))]
    if backups.count > limit, let last = shown.last { members.append(("nextCursor", JSONValue(last.key))) }
    members += [("requestId", JSONValue(requestID)), ("status", JSONValue(200))]
    return Envelope.json(JSONValue(object: members), status: .ok)
  }
}
