import HTTPTypes
import Hummingbird
import NIOHTTP1

/// Injected failures for testing clients (`--faults RATE --seed N`): a seeded, repeatable share of
/// requests answers 500, 503 or 429, drops the connection, answers slowly — or, worst for a client, takes
/// effect and then loses its answer (the connection drops after the work is done), or answers slowly
/// after the effect.
actor FaultInjector {
  /// The kinds of failure, in the order a roll picks them.
  enum Kind: String, CaseIterable, Sendable {
    case internalError = "500", unavailable = "503", rateLimited = "429", connectionReset = "reset", slow = "slow"
    case answerLost = "lost", slowAfterEffect = "slow-effect"

    /// Whether the request takes effect before the fault shows (the client cannot tell whether it did).
    var strikesAfterEffect: Bool { self == .answerLost || self == .slowAfterEffect }
  }

  /// One failure to apply to one request.
  struct Fault: Sendable {
    let kind: Kind

    /// A response to send instead of the real one, `nil` to carry on (after a delay for `slow`),
    /// or a thrown error that makes the server drop the connection. For faults that strike after the
    /// effect, `nil`: `afterEffect` applies them.
    func apply() async throws -> Response? {
      switch kind {
      case .answerLost, .slowAfterEffect:
        return nil
      case .internalError: throw APIError.internalError("injected fault")
      case .unavailable: throw APIError(status: .serviceUnavailable, text: "SERVICE_UNAVAILABLE: injected fault")
      case .rateLimited:
        throw APIError(
          status: .tooManyRequests, text: "TOO_MANY_REQUESTS: injected fault",
          headers: [HTTPField.Name("X-RateLimit-Reset")!: "1", .retryAfter: "1"])
      case .connectionReset:
        return Self.droppedAnswer
      case .slow:
        try await Task.sleep(nanoseconds: 1_500_000_000)
        return nil
      }
    }

    /// The answer to send once the request took effect: lost (the connection drops), or late.
    func afterEffect(_ response: Response) async throws -> Response {
      switch kind {
      case .answerLost:
        return Self.droppedAnswer
      case .slowAfterEffect:
        try await Task.sleep(nanoseconds: 1_500_000_000)
        return response
      default:
        return response
      }
    }

    /// The head promises a body that never comes: writing it fails, Hummingbird closes the connection,
    /// and the client sees the answer cut off, as after a reset. (A thrown parser error would become a
    /// 400 response, which clients rightly do not retry.)
    static var droppedAnswer: Response {
      Response(
        status: .ok, headers: [.contentType: "application/json"],
        body: ResponseBody(contentLength: 64) { _ in
          throw DroppedConnection()
        })
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

  /// The fault for the next request, if it draws one. A read has no effect to lose, so faults that
  /// strike after the effect are drawn for changes only; a read that could draw none draws nothing (and
  /// leaves the sequence alone, so the faults changes meet repeat for a seed however many reads came between).
  func nextFault(changes: Bool = true) -> Fault? {
    let eligible = changes ? kinds : kinds.filter { !$0.strikesAfterEffect }
    guard !eligible.isEmpty else { return nil }
    let roll = Double(generator.next() >> 11) / Double(1 << 53)
    guard roll < rate else { return nil }
    return Fault(kind: eligible[Int(generator.next() % UInt64(eligible.count))])
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
