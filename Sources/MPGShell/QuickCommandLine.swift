import Interpreter

/// Reads the command lines nearly every run uses — mpg's options each spelled out in full, then `-c CODE`
/// or a script and its arguments — without argument-parser, and declines everything else.
///
/// argument-parser builds its picture of `MPG` by reflection, and in a binary this size every first
/// protocol lookup scans ~10,000 conformance records: about 3 ms of each start, which is most of what a
/// one-liner costs. argument-parser still reads every command line this declines (help, version,
/// `--opt=value`, bundled short flags, `--`, anything unknown or repeated, and every mistake), so it alone
/// writes usage messages and help. `QuickCommandLineTests` checks, over many command lines, that
/// whatever this accepts is exactly what argument-parser makes of it.
enum QuickCommandLine {
  /// The invocation `words` (argv without the program name) asks for, or `nil` to let argument-parser decide.
  static func parse(_ words: [String]) -> Invocation? {
    var invocation = Invocation()
    // An array, not a Set: a Set<String> is one more generic type to instantiate at start-up, and
    // instantiating one scans the conformance records.
    var seen: [String] = []
    var index = 0
    /// The word after option `index`, if it can only be that option's value.
    func value() -> String? {
      guard index + 1 < words.count, !words[index + 1].hasPrefix("-") else { return nil }
      index += 1
      return words[index]
    }
    while index < words.count {
      let word = words[index]
      guard word.hasPrefix("-"), word != "-" else {
        // The script, then its arguments, whatever they look like.
        if index == 0, word == "emulator" || word == "profile" || WordCommand(rawValue: word) != nil { return nil }
        invocation.file = word
        invocation.arguments = Array(words[(index + 1)...])
        return invocation
      }
      // A repeated option or flag is argument-parser's to judge (some repeat, some are errors).
      let name =
        switch word {
        case "-r": "--raw-output"
        case "--no-color": "--color"
        case "-v", "--trace=full": "--verbose"
        case "-o": "--output"
        default: word
        }
      guard !seen.contains(name) else { return nil }
      seen.append(name)
      switch word {
      case "-c": guard let code = value() else { return nil }; invocation.code = code
      case "--endpoint": guard let url = value() else { return nil }; invocation.endpoint = url
      case "--key-id": guard let id = value() else { return nil }; invocation.keyID = id
      case "--key-secret": guard let secret = value() else { return nil }; invocation.keySecret = secret
      case "--org": guard let id = value() else { return nil }; invocation.organization = id
      case "--profile": guard let name = value() else { return nil }; invocation.profile = name
      case "--rate-limit":
        guard let rate = value(), Invocation.pacing(rate) != nil else { return nil }; invocation.rateLimit = rate
      case "--check": invocation.check = true
      case "--compact": invocation.compact = true
      case "-r", "--raw-output": invocation.rawOutput = true
      case "--color", "--no-color": invocation.color = word == "--color"
      case "--local": invocation.local = true
      case "--trace": invocation.trace = true
      case "-v", "--verbose", "--trace=full": invocation.traceFull = true
      case "--echo": invocation.echo = true
      case "--step": invocation.step = true
      case "-o", "--output":
        guard let text = value(), let format = OutputFormat(rawValue: text) else { return nil }; invocation.output = format
      case "--dry-run": invocation.dryRun = true
      case "--show-secrets": invocation.showSecrets = true
      case "--read-only": invocation.readOnly = true
      default: return nil
      }
      index += 1
    }
    return invocation
  }
}
