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
  let counter: RequestCounter
  /// `Basic base64(id:secret)` as clients send it: compared first, before decoding a header (the
  /// decoding went through Foundation and cost ~4% of a GET).
  private let expectedAuthorization: String

  init(key: APIKey, rateLimiter: RateLimiter, faults: FaultInjector?, counter: RequestCounter) {
    self.key = key
    self.rateLimiter = rateLimiter
    self.faults = faults
    self.counter = counter
    expectedAuthorization = BasicCredentials.header(for: key)
  }

  func handle(_ request: Request, context: EmulatorContext, next: (Request, EmulatorContext) async throws -> Response)
    async throws -> Response
  {
    counter.record()
    do {
      let fault = await faults?.nextFault(changes: request.method != .get && request.method != .head)
      if let fault, let response = try await fault.apply() { return response }
      guard request.headers[.authorization] == expectedAuthorization || BasicCredentials.from(request) == key else {
        throw APIError.unauthenticated
      }
      if rateLimiter.isLimiting, let wait = await rateLimiter.admit(key.id, at: Timestamp.seconds()) {
        counter.recordRateLimited()
        let seconds = String(Int(wait.rounded(.up)))
        throw APIError(
          status: .tooManyRequests,
          text: "TOO_MANY_REQUESTS: Rate limit exceeded, retry in \(seconds) seconds",
          headers: [HTTPField.Name("X-RateLimit-Reset")!: seconds, .retryAfter: seconds]
        )
      }
      try Self.requireJSONBody(request)
      var response = try await next(request, context)
      response.headers[.init("X-Request-Id")!] = context.requestID
      if let fault, fault.kind.strikesAfterEffect { return try await fault.afterEffect(response) }
      return response
    } catch let error as APIError {
      return Envelope.failure(error, requestID: context.requestID)
    } catch let error as HTTPError where error.status == .notFound {
      return Envelope.failure(.notFound("no such path: \(request.method) \(request.uri.path)"), requestID: context.requestID)
    } catch let error as HTTPError where error.status == .methodNotAllowed {
      return Envelope.failure(
        APIError(status: .methodNotAllowed, text: "METHOD_NOT_ALLOWED: \(request.method) \(request.uri.path)"),
        requestID: context.requestID)
    } catch let error as HTTPError {
      return Envelope.failure(
        APIError(status: error.status, text: "BAD_REQUEST: \(error.body ?? "\(error.status)")"), requestID: context.requestID)
    } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
      return Envelope.failure(
        APIError(
          status: .contentTooLarge, text: "PAYLOAD_TOO_LARGE: the request body is larger than \(Self.maximumBodySize >> 20) MiB"),
        requestID: context.requestID)
    } catch let error as any HTTPResponseError {
      return Envelope.failure(APIError(status: error.status, text: "BAD_REQUEST: \(error.status)"), requestID: context.requestID)
    } catch {
      return Envelope.failure(
        APIError(status: .internalServerError, text: "INTERNAL_ERROR: \(error)"), requestID: context.requestID)
    }
  }

  /// The largest request body the emulator reads.
  static let maximumBodySize = 1 << 20

  /// A request that carries a body must say it is JSON, as the live API's walkthrough requires
  /// (`Content-Type: application/json`; parameters such as `charset` and `+json` types are fine).
  static func requireJSONBody(_ request: Request) throws {
    let declaredLength = request.headers[.contentLength].flatMap { Int($0) }
    let hasBody = (declaredLength ?? 0) > 0 || request.headers[.transferEncoding] != nil
    guard hasBody else { return }
    let type =
      request.headers[.contentType]?.split(separator: ";").first.map { $0.filter { $0 != " " && $0 != "\t" }.lowercased() } ?? ""
    guard type != "application/json" && !(type.hasPrefix("application/") && type.hasSuffix("+json")) else { return }
    let shown = type.isEmpty ? "missing" : "`\(type)`"
    throw APIError.badRequest("Content-Type must be application/json for a request with a body (it is \(shown))")
  }
}
