import Hummingbird
import JQ

/// `GET /v1/organizations` and `GET /v1/organizations/{organizationId}`.
struct OrganizationRoutes {
  let state: EmulatorState

  func register(on router: Router<EmulatorContext>) {
    router.get("/v1/organizations") { _, context in
      Envelope.success(JSONValue(array: [state.organization.json]), requestID: context.requestID)
    }
    router.get("/v1/organizations/:organizationId") { _, context in
      guard context.parameters.get("organizationId") == state.organization.id else { throw APIError.organizationNotFound }
      return Envelope.success(state.organization.json, requestID: context.requestID)
    }
  }
}
