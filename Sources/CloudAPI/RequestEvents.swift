/// What a caller may hear about a request while it runs: for `--trace`, and for the note on a
/// terminal that mpg is waiting.
public struct RequestEvents: Sendable {
  /// One attempt got an answer (or none: status 0) after `milliseconds`.
  public var attemptFinished:
    @Sendable (_ method: String, _ path: String, _ status: Int, _ milliseconds: Double, _ requestID: String?) -> Void
  /// mpg is about to wait `seconds` before sending: `reason` says why (rate limit, retry).
  public var waiting: @Sendable (_ seconds: Double, _ reason: String) -> Void
  /// One attempt in full (`--trace=full`); `nil` keeps the client from assembling it.
  public var exchanged: (@Sendable (HTTPExchange) -> Void)?

  /// Events with the given handlers (the default ignores everything).
  public init(
    attemptFinished: @escaping @Sendable (String, String, Int, Double, String?) -> Void = { _, _, _, _, _ in },
    waiting: @escaping @Sendable (Double, String) -> Void = { _, _ in },
    exchanged: (@Sendable (HTTPExchange) -> Void)? = nil
  ) {
    self.attemptFinished = attemptFinished
    self.waiting = waiting
    self.exchanged = exchanged
  }

  /// Hears nothing.
  public static let none = RequestEvents()
}
