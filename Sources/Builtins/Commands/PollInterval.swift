/// How long a wait pauses between checks. The first checks come quickly (most changes on the twin take
/// well under a second), then the pause grows toward `--every` and, while nothing changes, slowly past
/// it (to at most 30 s); a change starts it over. The client's pacer keeps any rate within the API's
/// limit.
struct PollInterval {
  /// `--every`.
  let every: Double
  let first: Double
  /// The pause before the next check.
  private(set) var current: Double

  /// Pacing on (the cloud's limit) starts at 1 s, off (the twin) at 0.2 s; never above `every`.
  init(every: Double, paced: Bool) {
    self.every = every
    first = min(every, paced ? 1 : 0.2)
    current = first
  }

  /// After a check: back to the first pause when something changed, else a longer one.
  mutating func next(changed: Bool) {
    if changed {
      current = first
    } else if current < every {
      current = min(current * 1.3, every)
    } else {
      current = min(current * 1.25, max(every, 30))
    }
  }
}
