/// Recognises the filters whose outputs on an array are their outputs on consecutive slices of it, one
/// slice after another: `.[]` alone and `.[] | REST` (jq's `|` binds loosest, so REST is the whole
/// rest and sees one element at a time). A command that produces its array in slices
/// (`ArrayStreamingCommand`) can then be filtered slice by slice.
enum ElementwiseFilter {
  /// Builtins that print as they run (to standard error), which buffering the outputs could not hold
  /// back until the whole array is known to be valid.
  private static let printingBuiltins: Set<String> = ["debug", "stderr"]

  /// Whether the expression with these tokens is `.[]` or `.[] | …` and prints nothing itself.
  static func matches(_ tokens: [Token]) -> Bool {
    guard tokens.count >= 3, tokens[0].isSymbol("."), tokens[1].isSymbol("["), tokens[2].isSymbol("]") else {
      return false
    }
    guard tokens.count == 3 || (tokens[3].isSymbol("|") && tokens.count > 4) else { return false }
    return !printsItself(tokens)
  }

  private static func printsItself(_ tokens: [Token]) -> Bool {
    tokens.contains { token in
      (token.kind == .identifier && printingBuiltins.contains(token.text))
        || token.interpolations.contains { printsItself($0.tokens) }
    }
  }
}
