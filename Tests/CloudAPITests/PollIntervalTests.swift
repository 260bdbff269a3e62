import Testing

@testable import Builtins

/// The pauses of `wait`, one service or many.
struct PollIntervalTests {
  @Test func pausesStartShortGrowTowardEveryThenPastItAndStartOverOnAChange() {
    var interval = PollInterval(every: 5, paced: false)
    #expect(interval.current == 0.2)
    var pauses: [Double] = []
    for _ in 0..<40 {
      interval.next(changed: false)
      pauses.append(interval.current)
    }
    #expect(pauses == pauses.sorted(), "pauses only grow while nothing changes")
    #expect(pauses.contains(5), "they reach --every")
    #expect(pauses.last == 30, "and grow past it to 30 s at most")
    interval.next(changed: true)
    #expect(interval.current == 0.2)
  }

  @Test func pacedWaitsStartAtOneSecondAndNeverAboveAShortEvery() {
    #expect(PollInterval(every: 5, paced: true).current == 1)
    var short = PollInterval(every: 0.1, paced: true)
    #expect(short.current == 0.1)
    short.next(changed: false)
    #expect(short.current <= 30)
    var long = PollInterval(every: 60, paced: true)
    for _ in 0..<100 { long.next(changed: false) }
    #expect(long.current == 60, "an --every above 30 s is kept")
  }
}
