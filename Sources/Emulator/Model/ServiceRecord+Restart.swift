extension ServiceRecord {
  /// Moves a running service to `restarting`, where a restart, a size or haType change, a promotion
  /// and a switchover begin; in any other state the API answers 400, ending with `refusal`.
  mutating func beginRestart(refusing refusal: String) throws(APIError) {
    guard state == .running else {
      throw APIError.badRequest("Postgres service \(id) is \(state); \(refusal)")
    }
    do {
      try move(to: .restarting)
    } catch {
      throw APIError.internalError(error.description)
    }
  }
}
