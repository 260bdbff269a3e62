/// What one golden script expects of its run, read from `# label: value` comments in the script.
///
/// A comment that starts with a short lowercase label and a colon (`# expect: 30`, `# expect error:
/// …`) is a directive, and an unknown label is an error, so a typo such as `# expcet:` fails the case
/// instead of silently checking nothing. Ordinary comments start with a capital letter (`# Blocks do
/// not open a scope: …`) or have no colon in their first four words. The directives:
///
/// - `# expect: TEXT`: the next line of standard output (stdout must be exactly these lines).
/// - `# expect error: MESSAGE`: stderr has `NAME.mpg:L:C: error: MESSAGE`, L being this comment's line.
/// - `# expect error line N: MESSAGE`: the same at line N, for lines that cannot hold a comment.
/// - `# expect stderr: TEXT`: stderr has exactly this line (notes, carets, `mpg: error: …`).
/// - `# expect exit: N`: the exit status (default 0).
/// - `# mpg-args: ARG…` and `# script-args: ARG…`: words before and after the script's name.
/// - `# argv: ARG…`: the whole command line instead (for `-c` and `-`; empty for none); the script
///   is not passed.
/// - `# stdin: TEXT`: a line of standard input (several are joined with newlines).
/// - `# interrupt after: SECONDS`: send Ctrl-C (SIGINT) that long after the start.
///
/// Words split at spaces; `'…'` quotes a word that holds spaces.
struct GoldenExpectations {
  /// One line that standard error must contain.
  enum ErrorLine: CustomStringConvertible {
    /// `FILE:LINE:<any column>: error: MESSAGE`.
    case diagnostic(file: String, line: Int, message: String)
    /// The line exactly.
    case exact(String)

    func matches(_ actual: Substring) -> Bool {
      switch self {
      case .exact(let text):
        return actual == text
      case .diagnostic(let file, let line, let message):
        let prefix = "\(file):\(line):"
        let suffix = ": error: \(message)"
        guard actual.hasPrefix(prefix), actual.hasSuffix(suffix), actual.count > prefix.count + suffix.count else { return false }
        let column = actual.dropFirst(prefix.count).dropLast(suffix.count)
        return column.allSatisfy(\.isNumber)
      }
    }

    var description: String {
      switch self {
      case .exact(let text): text
      case .diagnostic(let file, let line, let message): "\(file):\(line):<column>: error: \(message)"
      }
    }
  }

  /// A directive the parser could not understand.
  struct Malformed: Error, CustomStringConvertible {
    var line: Int
    var problem: String
    var description: String { "line \(line): \(problem)" }
  }

  var standardOutput: [String] = []
  var standardError: [ErrorLine] = []
  var exitStatus: Int32 = 0
  var mpgArguments: [String] = []
  var scriptArguments: [String] = []
  /// The whole command line, when the script replaces it with `# argv:`.
  var commandLine: [String]?
  var standardInput: [String] = []
  /// Seconds after the start to send SIGINT, if at all.
  var interruptAfter: Double?

  /// Reads the directives of the script `fileName` (as named in diagnostics) whose text is `source`.
  init(fileName: String, source: String) throws(Malformed) {
    var seen: Set<String> = []
    for (index, line) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let number = index + 1
      guard let (label, value) = GoldenExpectations.directive(in: line) else { continue }
      func once() throws(Malformed) {
        guard seen.insert(label).inserted else { throw Malformed(line: number, problem: "`# \(label):` may appear only once") }
      }
      func required() throws(Malformed) -> String {
        guard !value.isEmpty else { throw Malformed(line: number, problem: "`# \(label):` needs a value") }
        return value
      }
      switch label {
      case "expect":
        standardOutput.append(value)
      case "expect error":
        standardError.append(.diagnostic(file: fileName, line: number, message: try required()))
      case "expect stderr":
        standardError.append(.exact(try required()))
      case "expect exit":
        try once()
        guard let status = Int32(value) else {
          throw Malformed(line: number, problem: "`# expect exit:` needs a number, not `\(value)`")
        }
        exitStatus = status
      case "mpg-args":
        try once()
        mpgArguments = try GoldenExpectations.words(try required(), line: number)
      case "script-args":
        try once()
        scriptArguments = try GoldenExpectations.words(try required(), line: number)
      case "argv":
        try once()
        commandLine = try GoldenExpectations.words(value, line: number)
      case "stdin":
        standardInput.append(value)
      case "interrupt after":
        try once()
        guard let seconds = Double(value), seconds > 0 else {
          throw Malformed(line: number, problem: "`# interrupt after:` needs a number of seconds, not `\(value)`")
        }
        interruptAfter = seconds
      default:
        if label.hasPrefix("expect error line "), let target = Int(label.dropFirst("expect error line ".count)), target > 0 {
          standardError.append(.diagnostic(file: fileName, line: target, message: try required()))
        } else {
          throw Malformed(
            line: number,
            problem:
              "unknown directive `# \(label):` (known: expect, expect error, expect error line N, expect stderr, expect exit, mpg-args, script-args, argv, stdin, interrupt after)"
          )
        }
      }
    }
    if commandLine != nil, !mpgArguments.isEmpty || !scriptArguments.isEmpty {
      throw Malformed(
        line: 1, problem: "`# argv:` replaces the command line; it cannot be combined with `# mpg-args:` or `# script-args:`")
    }
  }

  /// The `label` and `value` of the first `# label: value` comment in `line`, if any. A label is one
  /// to four words of letters, digits and dashes that starts with a lowercase letter (or with a
  /// directive's first word in any case, so `# Expect:` is not silently ignored); one space after
  /// the colon is dropped.
  static func directive(in line: Substring) -> (label: String, value: String)? {
    var rest = line[...]
    while let hash = rest.firstIndex(of: "#") {
      rest = rest[rest.index(after: hash)...]
      let text = rest.drop { $0 == " " }
      let label = text.prefix { $0.isLetter || $0.isNumber || $0 == " " || $0 == "-" }
      guard let first = label.first, first.isLetter, label.endIndex < text.endIndex, text[label.endIndex] == ":" else { continue }
      let words = label.split(separator: " ")
      let firstWord = words.first.map { $0.lowercased() } ?? ""
      guard words.count <= 4, first.isLowercase || directiveWords.contains(firstWord) else { continue }
      var value = text[text.index(after: label.endIndex)...]
      if value.first == " " { value = value.dropFirst() }
      return (label.trimmingTrailingSpaces(), String(value))
    }
    return nil
  }

  /// First words of the directives.
  private static let directiveWords: Set<String> = ["expect", "mpg-args", "script-args", "argv", "stdin", "interrupt"]

  /// Splits at spaces; `'…'` keeps spaces inside one word.
  static func words(_ text: String, line: Int) throws(Malformed) -> [String] {
    var words: [String] = []
    var current = ""
    var inWord = false
    var quoted = false
    for character in text {
      if character == "'" {
        quoted.toggle()
        inWord = true
      } else if character == " ", !quoted {
        if inWord { words.append(current) }
        current = ""
        inWord = false
      } else {
        current.append(character)
        inWord = true
      }
    }
    guard !quoted else { throw Malformed(line: line, problem: "unbalanced `'` in `\(text)`") }
    if inWord { words.append(current) }
    return words
  }
}

extension Substring {
  fileprivate func trimmingTrailingSpaces() -> String {
    var text = self
    while text.last == " " { text = text.dropLast() }
    return String(text)
  }
}
