import HTTPTypes
import Hummingbird
import JQ

/// What every `/v1` request passes through before its route: injected faults, authentication,
/// rate limiting, and the translation of every error into the API's error envelope.
struct APIGatewayMiddleware: RouterMiddleware {
  typealias Context = EmulatorContext

  let key: APIKey
  let rateLimiter: RateLimiter
  let faults: FaultInjector?

  func handle(_ request: Request, context: EmulatorContext, next: (Request, EmulatorContext) async throws -> Response) async throws -> Response {
    do {
      if let faults, let fault = await faults.nextFault() {
        if let response = try await fault.apply() { return response }
      }
      guard let credentials = BasicCredentials.from(request), credentials == key else {
        throw APIError.unauthenticated
      }
      if let wait = await rateLimiter.admit(credentials.id, at: Timestamp.seconds()) {
        let seconds = String(Int(wait.rounded(.up)))
        throw APIError(
          status: .tooManyRequests,
          text: "TOO_MANY_REQUESTS: Rate limit exceeded, retry in \(seconds) seconds",
          headers: [HTTPField.Name("X-RateLimit-Reset")!: seconds, .retryAfter: seconds]
        )
      }
      var response = try await next(request, context)
      response.headers[.init("X-Request-Id")!] = context.requestID
      return response
    } catch let error as APIError {
      return Envelope.failure(error, requestID: context.requestID)
    } catch let error as HTTPError where error.status == .notFound {
      return Envelope.failure(.notFound("no such path: \(request.method) \(request.uri.path)"), requestID: context.requestID)
    } catch let error as HTTPError where error.status == .methodNotAllowed {
      return Envelope.failure(APIError(status: .methodNotAllowed, text: "METHOD_NOT_ALLOWED: \(request.method) \(request.uri.path)"), requestID: context.requestID)
    } catch let error as HTTPError {
      return Envelope.failure(APIError(status: error.status, text: "BAD_REQUEST: \(error.body ?? "\(error.status)")"), requestID: context.requestID)
    }
  }
}
