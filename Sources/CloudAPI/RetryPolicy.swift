/// When and how long to wait before sending a request again: capped exponential backoff with jitter.
public struct RetryPolicy: Sendable {
  /// Attempts in all, the first included.
  public var maximumAttempts: Int
  /// The first backoff in seconds.
  public var initialDelay: Double
  /// The longest backoff in seconds.
  public var maximumDelay: Double

  /// A policy; the defaults ride out a minute of trouble.
  public init(maximumAttempts: Int = 6, initialDelay: Double = 0.5, maximumDelay: Double = 10) {
    self.maximumAttempts = maximumAttempts
    self.initialDelay = initialDelay
    self.maximumDelay = maximumDelay
  }

  /// No retries at all.
  public static let never = RetryPolicy(maximumAttempts: 1)

  /// Statuses that mean "try again later": too many requests, and the gateway's temporary failures.
  /// 500 is included too: the API answers it for passing trouble, and only idempotent requests (and
  /// a create after checking that it did not happen) are repeated.
  public static func isTransient(status: Int) -> Bool {
    status == 429 || status == 500 || status == 502 || status == 503 || status == 504
  }

  /// The wait before attempt `attempt + 1` (attempt counts from 1): the server's hint when it gave
  /// one (`Retry-After`, `X-RateLimit-Reset`), else backoff with "equal jitter" (half fixed, half random).
  public func delay(afterAttempt attempt: Int, serverHint: Double?) -> Double {
    if let serverHint, serverHint >= 0 { return min(serverHint, 60) + Double.random(in: 0...0.1) }
    let exponential = min(maximumDelay, initialDelay * Double(1 << min(attempt - 1, 16)))
    return exponential / 2 + Double.random(in: 0...(exponential / 2))
  }
}
