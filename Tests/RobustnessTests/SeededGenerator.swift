/// A small deterministic random number generator (SplitMix64), so a failing case reproduces from
/// its seed on any machine and Swift version; the standard library's generator is not seedable.
struct SeededGenerator: RandomNumberGenerator {
  private var state: UInt64

  /// A generator whose whole sequence is determined by `seed`.
  init(seed: UInt64) {
    state = seed
  }

  /// A generator for case `index` of a run seeded with `seed`: each case gets its own stream, so one
  /// case can be replayed without generating the ones before it.
  init(seed: UInt64, case index: Int) {
    var mixer = SeededGenerator(seed: seed ^ (UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15))
    state = mixer.next()
  }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
