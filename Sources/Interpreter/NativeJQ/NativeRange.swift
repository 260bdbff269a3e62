import JQ

/// jq's `range(UPTO)`, `range(FROM; UPTO)` and `range(FROM; UPTO; BY)` with native bounds, the
/// generator behind `for i in range(N)`: its numbers, computed as jq 1.6 computes them.
///
/// Why: a runbook whose only jq is its loop's `range(10)` would otherwise pay jq's ~25 ms compile
/// before its first command. As with `NativeExpression`, anything jq would reject (a bound that is not
/// a number) answers `nil`, so the expression goes to jq and the error stays jq's own.
struct NativeRange {
  /// One to three bounds, as written.
  let bounds: [NativeExpression]

  /// Every number of the range, or `nil` to ask jq.
  func values(input: JSONValue, variables: (String) -> JSONValue?) -> [JSONValue]? {
    var numbers: [Double] = []
    for bound in bounds {
      guard let value = bound.evaluate(input: input, variables: variables), value.kind == .number,
        let number = value.numberValue
      else { return nil }
      // jq's own comparisons treat nan in ways of their own (a nan bound can loop forever there).
      guard !number.isNaN else { return nil }
      numbers.append(number)
    }
    // Long (or endless) ranges go to jq, which stops when the user interrupts.
    guard Self.count(numbers) <= Self.maximumCount else { return nil }
    var results: [JSONValue] = []
    switch numbers.count {
    case 1, 2:
      // The RANGE opcode: from, from + 1, … while below upto.
      var current = numbers.count == 1 ? 0 : numbers[0]
      let upto = numbers[numbers.count - 1]
      while current < upto {
        results.append(JSONValue(current))
        // Past 2^53 adding 1 may not move: jq would count forever, and an interrupt must stop it.
        guard current + 1 != current else { return nil }
        current += 1
      }
    case 3:
      // builtin.jq: `$from | while(. < $upto; . + $by)` upward, `. > $upto` downward, empty for 0.
      var current = numbers[0]
      let (upto, step) = (numbers[1], numbers[2])
      while step > 0 ? current < upto : step < 0 && current > upto {
        results.append(JSONValue(current))
        guard current + step != current else { return nil }
        current += step
      }
    default:
      return nil
    }
    return results
  }

  /// The most numbers made natively.
  static let maximumCount = 1_000_000.0

  /// How many numbers the bounds give, or more (an upper estimate; infinite for an endless range).
  private static func count(_ numbers: [Double]) -> Double {
    switch numbers.count {
    case 1: return max(0, numbers[0].rounded(.up))
    case 2: return max(0, (numbers[1] - numbers[0]).rounded(.up))
    case 3 where numbers[2] != 0: return max(0, ((numbers[1] - numbers[0]) / numbers[2]).rounded(.up))
    default: return 0
    }
  }
}
