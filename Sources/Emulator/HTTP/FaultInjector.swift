import HTTPTypes
import Hummingbird
import NIOHTTP1

/// Injected failures for testing clients (`--faults RATE --seed N`): a seeded, repeatable share of
/// requests answers 500, 503 or 429, drops the connection, or answers slowly.
actor FaultInjector {
  /// The kinds of failure, in the order a roll picks them.
  enum Kind: String, CaseIterable, Sendable {
    case internalError = "500", unavailable = "503", rateLimited = "429", connectionReset = "reset", slow = "slow"
  }

  /// One failure to apply to one request.
  struct Fault: Sendable {
    let kind: Kind

    /// A response to send instead of the real one, `nil` to carry on (after a delay for `slow`),
    /// or a thrown error that makes the server drop the connection.
    func apply() async throws -> Response? {
      switch kind {
      case .internalError: throw APIError.internalError("injected fault")
      case .unavailable: throw APIError(status: .serviceUnavailable, text: "SERVICE_UNAVAILABLE: injected fault")
      case .rateLimited:
        throw APIError(status: .tooManyRequests, text: "TOO_MANY_REQUESTS: injected fault", headers: [HTTPField.Name("X-RateLimit-Reset")!: "1", .retryAfter: "1"])
      case .connectionReset:
        // The head promises a body that never comes: writing it fails, Hummingbird closes the
        // connection, and the client sees the answer cut off, as after a reset. (A thrown parser
        // error would become a 400 response, which clients rightly do not retry.)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(contentLength: 64) { _ in
          throw DroppedConnection()
        })
      case .slow:
        try await Task.sleep(nanoseconds: 1_500_000_000)
        return nil
      }
    }
  }

  private let rate: Double
  private let kinds: [Kind]
  private var generator: SplitMix64

  /// Fails `rate` (0…1) of requests with one of `kinds`, repeatably for a given `seed`.
  init(rate: Double, kinds: [Kind] = Kind.allCases, seed: UInt64) {
    self.rate = rate
    self.kinds = kinds.isEmpty ? Kind.allCases : kinds
    self.generator = SplitMix64(seed: seed)
  }

  /// The fault for the next request, if it draws one.
  func nextFault() -> Fault? {
    let roll = Double(generator.next() >> 11) / Double(1 << 53)
    guard roll < rate else { return nil }
    return Fault(kind: kinds[Int(generator.next() % UInt64(kinds.count))])
  }
}

/// Ends a response on purpose without its body.
struct DroppedConnection: Error {}

/// A small seeded generator (SplitMix64) so fault sequences repeat for a seed.
struct SplitMix64: RandomNumberGenerator, Sendable {
  private var state: UInt64

  init(seed: UInt64) {
    state = seed
  }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var value = state
    value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
    value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
    return value ^ (value >> 31)
  }
}
