// The Suggestions target: "did you mean …?" for anything typed that is not one of a known set (a size,
// a field of a request body, a command, a jq function). No dependencies, so every layer can use it.

/// "Did you mean …?" for a value that is not one of a known set: the closest candidate by edit distance.
///
/// The emulator uses it in its validation errors (`size "r8g.large" is not one of …; did you mean r8gd.large?`),
/// mpg checks request bodies with it before they are sent, and the interpreter names the command or jq
/// function a misspelt name was meant to be.
public enum Suggestion {
  /// The candidate closest to `input`, or `nil` when none is close enough to be a likely typo (or `input`
  /// is a candidate itself).
  ///
  /// Comparison ignores case, and swapping two neighbouring characters counts as one edit, so `ASYNC`,
  /// `asnyc` and `asyn` all suggest `async`. A candidate qualifies when it is at most a third of the input's
  /// length away (at least 1 edit, at most 3); ties go to the longer common prefix, then the earlier
  /// candidate. Inputs and candidates shorter than three characters get no suggestion: `16` is no typo of `17`.
  public static func closest(to input: String, among candidates: some Sequence<String>) -> String? {
    let typed = Array(input.lowercased())
    guard typed.count >= 3 else { return nil }
    let allowance = min(3, max(1, typed.count / 3))
    // Ranked by distance, then by the longer common prefix: `r8g.large` is one edit from both `i8g.large`
    // and `r8gd.large`, and people mistype the end of a word more often than its start.
    var best: (candidate: String, distance: Int, prefix: Int)?
    for candidate in candidates {
      if candidate == input { return nil }
      let target = Array(candidate.lowercased())
      // Nor is a two-letter name a likely meaning: `lst` is `list` mistyped, not `ls` lengthened.
      guard target.count >= 3 else { continue }
      let distance = editDistance(typed, target)
      guard distance <= allowance else { continue }
      let prefix = zip(typed, target).prefix { $0 == $1 }.count
      if let best, (best.distance, -best.prefix) <= (distance, -prefix) { continue }
      best = (candidate, distance, prefix)
    }
    return best?.candidate
  }

  /// Edits (insert, delete, replace, swap neighbours) that turn `source` into `target`:
  /// the optimal string alignment distance.
  public static func editDistance(_ source: String, _ target: String) -> Int {
    editDistance(Array(source), Array(target))
  }

  public static func editDistance(_ source: [Character], _ target: [Character]) -> Int {
    if source.isEmpty { return target.count }
    if target.isEmpty { return source.count }
    // Three rolling rows: the one before the previous is needed for transpositions.
    var beforePrevious = [Int](repeating: 0, count: target.count + 1)
    var previous = Array(0...target.count)
    var current = [Int](repeating: 0, count: target.count + 1)
    for i in 1...source.count {
      current[0] = i
      for j in 1...target.count {
        let substitution = source[i - 1] == target[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + substitution)
        if i > 1, j > 1, source[i - 1] == target[j - 2], source[i - 2] == target[j - 1] {
          current[j] = min(current[j], beforePrevious[j - 2] + 1)
        }
      }
      (beforePrevious, previous, current) = (previous, current, beforePrevious)
    }
    return previous[target.count]
  }
}
