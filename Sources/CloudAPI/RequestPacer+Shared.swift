import Synchronization

extension RequestPacer {
  /// The pacers in use, one per API key and endpoint: the server counts requests per key, so every
  /// client of the process that signs with one key draws on one budget.
  private static let shared = Mutex<[String: RequestPacer]>([:])

  /// The process's pacer for `keyID` at `endpoint` under `rule` (made on first use).
  public static func shared(endpoint: String, keyID: String, rule: (requests: Int, seconds: Double)?) -> RequestPacer {
    let key = "\(endpoint) \(keyID) " + (rule.map { "\($0.requests)/\($0.seconds)" } ?? "unpaced")
    return shared.withLock { pacers in
      if let pacer = pacers[key] { return pacer }
      let pacer = RequestPacer(rule: rule)
      pacers[key] = pacer
      return pacer
    }
  }
}
