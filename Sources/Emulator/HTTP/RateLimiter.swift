/// The live API's rate limit: at most `limit` requests per `window` seconds per key; the next
/// one is answered 429 with the seconds until a slot frees.
actor RateLimiter {
  /// `nil` turns limiting off.
  private let rule: (limit: Int, window: Double)?
  private var recent: [String: [Double]] = [:]

  init(rule: (limit: Int, window: Double)?) {
    self.rule = rule
  }

  /// Whether any limit applies (checked without entering the actor).
  nonisolated var isLimiting: Bool { rule != nil }

  /// Records a request by `key`; returns the seconds to wait when it is over the limit.
  func admit(_ key: String, at now: Double) -> Double? {
    guard let rule else { return nil }
    var times = recent[key, default: []].filter { now - $0 < rule.window }
    if times.count >= rule.limit {
      recent[key] = times
      return max(0.001, rule.window - (now - times[0]))
    }
    times.append(now)
    recent[key] = times
    return nil
  }
}
