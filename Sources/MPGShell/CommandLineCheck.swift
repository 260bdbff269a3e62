import Suggestions

/// mpg's own options, known before argument-parser reads them, so that a mistyped one gets mpg's message
/// (`unknown option `--json``) with a suggestion only when one is close, not argument-parser's nearest
/// match at any distance (`--json` → `--argjson`). `CommandLineCheckTests` keeps this list equal to MPG's.
enum CommandLineCheck {
  /// Long options that take one value.
  static let optionsWithValue = ["endpoint", "key-id", "key-secret", "org", "profile", "rate-limit", "output"]
  /// Long options that take two values (`--arg NAME VALUE`).
  static let optionsWithTwoValues = ["arg", "argjson"]
  /// Long switches, argument-parser's own included.
  static let switches = [
    "check", "compact", "raw-output", "color", "no-color", "local", "trace", "verbose", "echo", "step", "dry-run", "show-secrets",
    "read-only",
    "help", "version", "generate-completion-script", "experimental-dump-help",
  ]

  /// Every long option name.
  static var allOptions: [String] { optionsWithValue + optionsWithTwoValues + switches }

  /// What is wrong with the first unknown long option before the script (or `-c CODE`), or `nil`.
  static func unknownOption(in words: [String]) -> String? {
    var index = 0
    while index < words.count {
      let word = words[index]
      if word == "--" || word == "-" || !word.hasPrefix("-") { return nil }  // the script and its arguments
      if word == "-c" { return nil }
      guard word.hasPrefix("--") else {
        index += 1
        continue  // short options are argument-parser's to judge
      }
      let name = String(word.dropFirst(2).prefix { $0 != "=" })
      if optionsWithValue.contains(name) {
        index += word.contains("=") ? 1 : 2
      } else if optionsWithTwoValues.contains(name) {
        index += 3
      } else if switches.contains(name) {
        index += 1
      } else {
        var message = "unknown option `--\(name)`"
        if let near = Suggestion.closest(to: name, among: allOptions) { message += "; did you mean `--\(near)`?" }
        return message + " (`mpg --help` lists the options)"
      }
    }
    return nil
  }
}
