import Hummingbird
import JQ
import PostgresAPISpec

/// `POST …/{postgresId}/readReplica` (see `ServiceLifecycle` for what a replica is); `promote` and
/// `switchover` arrive through `PATCH …/{postgresId}/state`, in `PostgresRoutes`.
struct ReplicaRoutes {
  let postgres: PostgresRoutes

  func register(on router: Router<EmulatorContext>) {
    router.post(RouterPath("/v1/organizations/:organizationId/postgres/:postgresId/readReplica")) { request, context in
      let primary = try await postgres.resolve(context)
      let body = try await PostgresRoutes.body(of: request)
      let replica = try PostgresRoutes.validated { () throws(ValidationFailure) in
        try postgres.validator.validateReadReplica(body)
      }
      let record = try await postgres.lifecycle.createReplica(of: primary, replica)
      return Envelope.success(record.json(withCredentials: false), requestID: context.requestID)
    }
  }
}
