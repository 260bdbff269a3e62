import AsyncHTTPClient
import EventLoopExecution
import JQ
import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
  import Glibc
#endif

/// The Cloud API over HTTP: one pooled async-http-client with keep-alive, TLS verification on,
/// timeouts, the environment's proxy, client-side pacing and retries of what is safe to retry.
public final class CloudClient: Sendable {
  /// The base URL.
  public let endpoint: EndpointURL
  /// The key that signs every request.
  public let credentials: APICredentials
  private let http: HTTPClient
  /// The `Authorization` header, encoded once.
  private let authorization: String
  private let pacer: RequestPacer
  private let retry: RetryPolicy
  private let userAgent: String
  private let requestTimeout: TimeAmount
  /// Runs tasks on the clients' event loop: scripts run there (`Evaluator.Settings.taskExecutor`), so
  /// the request and the script that waits for it share one thread.
  public static let taskExecutor: any TaskExecutor = EventLoopTaskExecutor(group: loopGroup)

  /// One event loop (one thread) for every client of the process: mpg sends one request at a time,
  /// and NIO's default group would start a thread per core for it.
  private static let loopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)

  /// A client for `endpoint` with `credentials`. `pacing` is the client-side rate limit (`nil`: none).
  public init(
    endpoint: EndpointURL, credentials: APICredentials, userAgent: String,
    pacing: (requests: Int, seconds: Double)? = (10, 10), retry: RetryPolicy = RetryPolicy(),
    requestTimeout: Double = 120, environment: [String: String] = ProcessEnvironment.current
  ) {
    self.endpoint = endpoint
    self.credentials = credentials
    authorization = credentials.authorizationHeader
    self.userAgent = userAgent
    self.retry = retry
    self.requestTimeout = .milliseconds(Int64(requestTimeout * 1000))
    pacer = RequestPacer.shared(endpoint: endpoint.description, keyID: credentials.keyID, rule: pacing)
    var configuration = HTTPClient.Configuration(
      timeout: .init(connect: .seconds(10), read: .seconds(90)),
      connectionPool: .init(idleTimeout: .seconds(60))
    )
    configuration.httpVersion = .http1Only
    // No spans: nothing reads them, and building each request's attributes cost ~4% of a request.
    configuration.tracing.tracer = nil
    if let proxy = ProxySettings.forHost(endpoint.host, scheme: endpoint.scheme, environment: environment) {
      let authorization = proxy.userInfo.map { info -> HTTPClient.Authorization in
        let parts = info.split(separator: ":", maxSplits: 1).map(String.init)
        return .basic(username: parts[0], password: parts.count > 1 ? parts[1] : "")
      }
      configuration.proxy = .server(host: proxy.host, port: proxy.port, authorization: authorization)
    }
    http = HTTPClient(eventLoopGroupProvider: .shared(Self.loopGroup), configuration: configuration)
  }

  /// Closes the pooled connections (call once, when done).
  public func shutdown() async {
    try? await http.shutdown()
  }

  /// Sends `request`, retrying what is safe to retry, and returns the answer, or throws
  /// `APIFailure` (an error status), `TransportFailure` (no answer) or `CancellationError`.
  ///
  /// A request that is not idempotent (a POST, a state command) is never repeated blindly: after an
  /// ambiguous failure (a 5xx or no answer; the server may have acted), `beforeRepeatingPost` is asked
  /// first; when it returns a response (it found what the request did), that is the answer. A DELETE
  /// repeated after an ambiguous failure that finds the resource gone (404) did its work the first time.
  public func send(
    _ request: APIRequest, events: RequestEvents = .none,
    beforeRepeatingPost: (@Sendable () async throws -> APIResponse?)? = nil
  ) async throws -> APIResponse {
    var attempt = 0
    // Whether an earlier attempt may have acted without the client seeing its answer.
    var mayHaveActed = false
    let limit = pacer.rule.map { "rate limit: \($0.requests) requests per \(Self.seconds($0.seconds)) s" } ?? "rate limit"
    while true {
      attempt += 1
      let slot = try await pacer.acquire { seconds in events.waiting(seconds, limit) }
      let outcome: Result<APIResponse, TransportFailure>
      do {
        // On the loop: the exchange's continuations resume on the thread that completed them.
        var response = try await withTaskExecutorPreference(Self.taskExecutor) {
          try await self.sendOnce(request, events: events)
        }
        response.attempts = attempt
        outcome = .success(response)
      } catch let failure as TransportFailure {
        outcome = .failure(failure)
      }
      pacer.finished(slot)
      let lastAttempt = attempt >= retry.maximumAttempts
      switch outcome {
      case .success(let response) where response.status < 400:
        return response
      case .success(var response) where response.status == 404 && request.method == "DELETE" && mayHaveActed:
        response.status = 200
        return response
      case .success(let response):
        let transient = RetryPolicy.isTransient(status: response.status)
        guard transient, !lastAttempt else { throw APIFailure(response: response) }
        if response.status != 429 { mayHaveActed = true }
        // A 429 was refused before anything happened; other transient statuses are ambiguous for a POST.
        if !request.isIdempotent, response.status != 429 {
          guard let beforeRepeatingPost else { throw APIFailure(response: response) }
          if let found = try await beforeRepeatingPost() { return found }
        }
        let wait = retry.delay(afterAttempt: attempt, serverHint: Self.serverHint(response))
        events.waiting(wait, "\(response.status) from the API, retrying")
        if response.status == 429 {
          // The key's budget is spent on the server: every request of the key waits, not only this one.
          pacer.pause(for: wait)
        } else {
          try await Task.sleep(nanoseconds: UInt64(wait * 1e9))
        }
      case .failure(let failure):
        // The caller gave up: what the transport said on the way out (a closed connection) is not the answer.
        if Task.isCancelled { throw CancellationError() }
        guard !lastAttempt else { throw failure }
        mayHaveActed = true
        if !request.isIdempotent {
          guard let beforeRepeatingPost else { throw failure }
          if let found = try await beforeRepeatingPost() { return found }
        }
        let wait = retry.delay(afterAttempt: attempt, serverHint: nil)
        events.waiting(wait, "no answer (\(failure.reason)), retrying")
        try await Task.sleep(nanoseconds: UInt64(wait * 1e9))
      }
    }
  }

  /// One HTTP exchange, through async-http-client's event-loop API: its async `execute` starts an
  /// unstructured task per request (to register the cancel handler), which ran on the concurrency
  /// runtime's pool and woke a second thread for every request.
  private func sendOnce(_ request: APIRequest, events: RequestEvents) async throws -> APIResponse {
    var headers = HTTPHeaders()
    headers.add(name: "Authorization", value: authorization)
    headers.add(name: "User-Agent", value: userAgent)
    headers.add(name: "Accept", value: "application/json")
    var body: HTTPClient.Body?
    if let payload = request.body {
      headers.add(name: "Content-Type", value: "application/json")
      body = .byteBuffer(ByteBuffer(string: payload.dumped(.compact)))
    }
    let started = RequestPacer.now()
    do {
      let http = try HTTPClient.Request(
        url: endpoint.description + request.target, method: HTTPMethod(rawValue: request.method), headers: headers, body: body)
      let task = self.http.execute(
        request: http, delegate: ResponseAccumulator(request: http, maxBodySize: Self.maximumBodySize),
        eventLoop: .indifferent, deadline: .now() + requestTimeout, logger: nil)
      let response = try await withTaskCancellationHandler {
        try await task.futureResult.get()
      } onCancel: {
        task.cancel()
      }
      let bytes = response.body.map { Array($0.readableBytesView) } ?? []
      let milliseconds = (RequestPacer.now() - started) * 1000
      let contentType = response.headers.first(name: "Content-Type")
      let json = Self.parseJSON(bytes, contentType: contentType)
      let requestID = json?["requestId"]?.stringValue ?? response.headers.first(name: "X-Request-Id")
      var answer = APIResponse(
        status: Int(response.status.code), method: request.method, path: request.target, contentType: contentType,
        body: bytes, json: json, requestID: requestID, milliseconds: milliseconds, attempts: 1
      )
      answer.retryAfter =
        response.headers.first(name: "Retry-After").flatMap(Double.init)
        ?? response.headers.first(name: "X-RateLimit-Reset").flatMap(Double.init)
      events.attemptFinished(request.method, request.target, answer.status, milliseconds, requestID)
      if let exchanged = events.exchanged {
        exchanged(
          HTTPExchange(
            method: request.method, url: http.url.absoluteString, requestHeaders: Self.shown(headers), requestBody: request.body,
            status: answer.status, responseHeaders: response.headers.map { ($0.name, $0.value) },
            responseJSON: json, responseText: json == nil ? String(decoding: bytes, as: UTF8.self) : nil,
            milliseconds: milliseconds, requestID: requestID))
      }
      return answer
    } catch is CancellationError {
      throw CancellationError()
    } catch let error as HTTPClientError where error == .cancelled {
      throw CancellationError()
    } catch {
      if Task.isCancelled { throw CancellationError() }
      let milliseconds = (RequestPacer.now() - started) * 1000
      events.attemptFinished(request.method, request.target, 0, milliseconds, nil)
      if let exchanged = events.exchanged {
        exchanged(
          HTTPExchange(
            method: request.method, url: endpoint.description + request.target, requestHeaders: Self.shown(headers),
            requestBody: request.body, status: 0, responseHeaders: [], responseJSON: nil, responseText: Self.describe(error),
            milliseconds: milliseconds, requestID: nil))
      }
      throw TransportFailure(
        method: request.method, path: request.target, endpoint: endpoint.description, reason: Self.describe(error))
    }
  }

  /// Request headers as a trace shows them: the credentials masked.
  private static func shown(_ headers: HTTPHeaders) -> [(name: String, value: String)] {
    headers.map { ($0.name, $0.name.lowercased() == "authorization" ? "Basic ********" : $0.value) }
  }

  /// The largest response body read (a metrics or log answer is far smaller).
  private static let maximumBodySize = 64 << 20

  private static func parseJSON(_ bytes: [UInt8], contentType: String?) -> JSONValue? {
    guard !bytes.isEmpty else { return nil }
    if let contentType, !contentType.lowercased().contains("json") { return nil }
    return try? JSONValue(parsing: bytes)
  }

  /// `10`, `0.5`.
  private static func seconds(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(value)
  }

  private static func serverHint(_ response: APIResponse) -> Double? {
    response.retryAfter
  }

  /// Transport errors in words (NIO's descriptions are for programmers).
  static func describe(_ error: any Error) -> String {
    if error is ResponseAccumulator.ResponseTooBigError { return "the answer is larger than \(maximumBodySize >> 20) MiB" }
    if let client = error as? HTTPClientError {
      switch client {
      case .readTimeout, .deadlineExceeded: return "the request timed out"
      case .connectTimeout: return "the connection timed out"
      case .remoteConnectionClosed: return "the server closed the connection"
      default: return "\(client)"
      }
    }
    let text = "\(error)"
    if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
    if text.contains("connectionReset") || text.contains("reset by peer") { return "connection reset" }
    if text.contains("NIOSSL") || text.contains("certificate") { return "TLS failed: \(text)" }
    return text
  }
}

/// The process environment as a dictionary.
public enum ProcessEnvironment {
  /// Every `NAME=VALUE` of `environ`.
  public static var current: [String: String] {
    var result: [String: String] = [:]
    var pointer = environ
    while let entry = pointer.pointee {
      let text = String(cString: entry)
      if let equals = text.firstIndex(of: "=") {
        result[String(text[..<equals])] = String(text[text.index(after: equals)...])
      }
      pointer += 1
    }
    return result
  }
}
