import Hummingbird
import JQ
import PostgresAPISpec

/// Point-in-time restore, `POST …/{postgresId}/restoredService` (see `ServiceLifecycle.restore`).
struct RestoreRoutes {
  let postgres: PostgresRoutes

  func register(on router: Router<EmulatorContext>) {
    router.post(RouterPath("/v1/organizations/:organizationId/postgres/:postgresId/restoredService")) { request, context in
      let source = try await postgres.resolve(context)
      let body = try await PostgresRoutes.body(of: request)
      let restore = try PostgresRoutes.validated { () throws(ValidationFailure) in try postgres.validator.validateRestore(body) }
      let record = try await postgres.lifecycle.restore(source, restore)
      return Envelope.success(record.json(withCredentials: false), requestID: context.requestID)
    }
  }
}
