/// The three kinds of hostile input the robustness test feeds the lexer and parser. Each returns raw
/// bytes (possibly invalid UTF-8, which mpg decodes with replacement characters as it reads a file)
/// bounded by `InputGenerators.maximumLength`, so no single case can make the run slow.
enum InputGenerators {
  /// No input is longer than this: long enough for nesting and multi-line structure, short enough
  /// that 100,000 cases parse in seconds.
  static let maximumLength = 4096

  /// Bytes drawn mostly from the characters that matter to mpg, with NULs, control bytes, invalid
  /// UTF-8 and multi-byte characters mixed in.
  static func randomBytes(using random: inout SeededGenerator) -> [UInt8] {
    let count = Int.random(in: 0...256, using: &random)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count)
    for _ in 0..<count {
      switch Int.random(in: 0..<10, using: &random) {
      case 0..<4: bytes.append(significantBytes.randomElement(using: &random)!)
      case 4..<6: bytes.append(UInt8.random(in: 0x20...0x7E, using: &random))
      case 6: bytes.append(UInt8.random(in: 0x00...0x1F, using: &random))
      case 7: bytes.append(UInt8.random(in: 0x80...0xFF, using: &random))  // often invalid UTF-8
      case 8: bytes += Array(multiByteCharacters.randomElement(using: &random)!.utf8)
      default: bytes.append(UInt8.random(in: 0...0xFF, using: &random))
      }
    }
    return bytes
  }

  /// A sequence of mpg and jq vocabulary, joined without structure: keywords in odd places, unbalanced
  /// brackets and quotes, interpolations, options and fields.
  static func tokenSoup(using random: inout SeededGenerator) -> [UInt8] {
    let count = Int.random(in: 0...60, using: &random)
    var text = ""
    for _ in 0..<count {
      text += vocabulary.randomElement(using: &random)!
      switch Int.random(in: 0..<8, using: &random) {
      case 0..<4: text += " "
      case 4: text += "\n"
      default: break
      }
    }
    return Array(text.utf8.prefix(maximumLength))
  }

  /// A corpus script changed by one to four edits: inserted vocabulary or bytes, deleted, duplicated
  /// or swapped spans, splices from another script, truncation.
  static func mutation(using random: inout SeededGenerator) -> [UInt8] {
    var bytes = Array(Corpus.scripts.randomElement(using: &random)!.utf8)
    for _ in 0..<Int.random(in: 1...4, using: &random) {
      mutate(&bytes, using: &random)
    }
    return Array(bytes.prefix(maximumLength))
  }

  private static func mutate(_ bytes: inout [UInt8], using random: inout SeededGenerator) {
    let position = Int.random(in: 0...bytes.count, using: &random)
    switch Int.random(in: 0..<9, using: &random) {
    case 0, 1:
      bytes.insert(contentsOf: Array(vocabulary.randomElement(using: &random)!.utf8), at: position)
    case 2:
      bytes.insert(significantBytes.randomElement(using: &random)!, at: position)
    case 3:
      bytes.insert(UInt8.random(in: 0...0xFF, using: &random), at: position)
    case 4:
      let range = randomRange(in: bytes, using: &random)
      bytes.removeSubrange(range)
    case 5:
      let range = randomRange(in: bytes, using: &random)
      bytes.insert(contentsOf: bytes[range], at: Int.random(in: 0...bytes.count, using: &random))
    case 6:
      let first = randomRange(in: bytes, using: &random)
      let second = randomRange(in: bytes, using: &random)
      guard first.upperBound <= second.lowerBound else { return }
      let (a, b) = (Array(bytes[first]), Array(bytes[second]))
      bytes.replaceSubrange(second, with: a)
      bytes.replaceSubrange(first, with: b)
    case 7:
      let other = Array(Corpus.scripts.randomElement(using: &random)!.utf8)
      bytes.insert(contentsOf: other[randomRange(in: other, using: &random)], at: position)
    default:
      bytes.removeSubrange(position...)
    }
  }

  /// A short span, biased towards a few bytes so edits stay local and the rest still parses.
  private static func randomRange(in bytes: [UInt8], using random: inout SeededGenerator) -> Range<Int> {
    guard !bytes.isEmpty else { return 0..<0 }
    let start = Int.random(in: 0..<bytes.count, using: &random)
    let limit = Bool.random(using: &random) ? 8 : 80
    let end = min(bytes.count, start + Int.random(in: 0...limit, using: &random))
    return start..<end
  }

  private static let significantBytes: [UInt8] = Array("{}[]()\"\\$|;#\n\r\t =:.,?/-@'`".utf8)

  private static let multiByteCharacters = ["é", "ß", "€", "🙂", "\u{200B}", "\u{FEFF}", "𝔘", "\u{301}"]

  private static let vocabulary: [String] = [
    // mpg statements and builtin commands
    "let", "if", "elif", "else", "for", "in", "while", "break", "continue", "try", "catch", "fn",
    "return", "source", "assert", "exit", "echo", "load", "save", "sleep", "double", "greet",
    // jq keywords and builtins
    "as", "def", "then", "end", "reduce", "foreach", "label", "import", "include", "and", "or",
    "not", "__loc__", "map", "select", "length", "keys", "range", "env", "error", "path", "test",
    "empty", "true", "false", "null", "mod::name",
    // names, variables, fields
    "x", "name", "$x", "$name", "$", "$args", "$ENV", "$__loc__", "$__mpg_x", ".", "..", ".a", ".[0]",
    "$x.a.b", "$x[0]", "$x.\"k\"", "$x?", ".\"k\"", "?",
    // brackets and punctuation
    "{", "}", "[", "]", "(", ")", "{ }", "[]", "()", "|", ";", ",", ":", "=", "==", "!=", "<", "<=",
    "//", "?//", "|=", "+=", "+", "-", "*", "/", "%", "#", "# comment", "\\", "\\\n", "\n", "\r\n",
    "\t", ";;",
    // literals
    "0", "1", "42", "1.5e3", ".5", "1e", "1e+", "-3", "007", "\"\"", "\"abc\"", "\"a\\\"b\"", "\"\\u00e9\"",
    "\"\\(", "\\(", "\"\\($x)\"", "\"x\\(\"y\\(1)\")\"", "\"", "@base64", "@", "@json \"\\(.)\"",
    // arguments
    "--flag", "--flag=", "--flag=v", "--", "-x", "key=", "key=word", "key:=", "key:=1", "key:=[1]",
    "key:={a: 1}", "key:=x", "=", ":=", "./data.json", "us-west-2", "250ms",
    // whole fragments
    "let x = 1", "fn f a {", "if $x {", "} else {", "for i in range(3) {", "while false {", "try {",
    "} catch e {", "return $x", "#!/usr/bin/env mpg\n", "é", "🙂", "\u{0}",
  ]
}
