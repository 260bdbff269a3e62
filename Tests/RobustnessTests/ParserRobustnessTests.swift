// Pushes random and mutated input through the lexer, the parser (with its native expression
// parser) and the REPL's completeness check, and asserts that nothing crashes or hangs and that
// every rejection is a located diagnostic. Replay a failure with the seed and case it prints.
#if canImport(Glibc)
  import Glibc
#endif
import Builtins
import Testing

@testable import Interpreter

/// How one family of inputs is made.
enum InputKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
  case randomBytes, tokenSoup, mutation

  var testDescription: String { rawValue }

  func generate(using random: inout SeededGenerator) -> [UInt8] {
    switch self {
    case .randomBytes: InputGenerators.randomBytes(using: &random)
    case .tokenSoup: InputGenerators.tokenSoup(using: &random)
    case .mutation: InputGenerators.mutation(using: &random)
    }
  }
}

@Suite struct ParserRobustnessTests {
  /// `MPG_ROBUSTNESS_SEED` replays or varies a run; the default keeps CI deterministic.
  static let seed: UInt64 = environment("MPG_ROBUSTNESS_SEED").flatMap { UInt64($0) } ?? 20_240_601
  /// Cases per input kind; `MPG_ROBUSTNESS_CASES` raises it for a longer local run.
  static let casesPerKind = environment("MPG_ROBUSTNESS_CASES").flatMap { Int($0) } ?? 34_000
  /// Builtins plus `fn` names the corpus and the token soup use, so command arguments get exercised.
  static let builtins = BuiltinRegistry.standard.commandNames
  static let commandNames = builtins.union(["double", "greet", "show", "fact", "noop", "create"])
  /// Far above any case's parse time in a debug build; only a pathological slowdown reaches it.
  static let slowCaseLimit = Duration.seconds(2)
  /// A case still running after this long is taken to loop forever.
  static let hangLimit = Duration.seconds(30)

  @Test func corpusScriptsParseCleanly() {
    for (index, script) in Corpus.scripts.enumerated() {
      let file = SourceFile(name: "corpus-\(index).mpg", text: script)
      var parser = Parser(file: file, commandNames: Self.commandNames, builtins: Self.builtins)
      parser.parseAll()
      #expect(parser.diagnostics.isEmpty, "corpus script \(index): \(parser.diagnostics.map(\.message))")
      #expect(InputCompleteness.isComplete(script), "corpus script \(index) reads as incomplete")
    }
  }

  @Test(arguments: InputKind.allCases)
  func parserRejectsOnlyWithLocatedDiagnostics(kind: InputKind) {
    var failures = 0
    var slowest = (duration: Duration.zero, index: 0)
    let clock = ContinuousClock()
    let watchdog = HangWatchdog(limit: Self.hangLimit)
    defer { watchdog.stop() }
    for index in 0..<Self.casesPerKind {
      var random = SeededGenerator(seed: Self.seed, case: index)
      let bytes = kind.generate(using: &random)
      var problems: [String] = []
      watchdog.begin("\(kind.rawValue) case \(index) with MPG_ROBUSTNESS_SEED=\(Self.seed)")
      let duration = clock.measure { problems = Self.check(bytes) }
      watchdog.end()
      if duration > slowest.duration { slowest = (duration, index) }
      if !problems.isEmpty {
        failures += 1
        Issue.record(Comment(rawValue: Self.report(kind, index, bytes, problems)))
        if failures >= 5 { break }
      }
    }
    print(
      "robustness: \(kind.rawValue): \(Self.casesPerKind) cases, seed \(Self.seed), slowest case \(slowest.index) took \(slowest.duration)"
    )
    #expect(
      slowest.duration < Self.slowCaseLimit,
      "case \(slowest.index) of \(kind.rawValue) (seed \(Self.seed)) took \(slowest.duration)")
  }

  /// Parses one input as a script and checks the parser's and the completeness check's results.
  static func check(_ bytes: [UInt8]) -> [String] {
    // mpg decodes files this way (FileText.read), so invalid UTF-8 reaches the lexer as U+FFFD.
    let text = String(decoding: bytes, as: UTF8.self)
    let file = SourceFile(name: "fuzz.mpg", text: text)
    var parser = Parser(file: file, commandNames: commandNames, builtins: builtins)
    parser.parseAll()
    var problems = LocatedDiagnostics.problems(in: parser.diagnostics, of: file)
    for expression in parser.expressions where expression.span.offset + expression.span.length > file.bytes.count {
      problems.append("expression `\(expression.text)` has a span outside the file")
    }
    _ = InputCompleteness.isComplete(text)
    return problems
  }

  static func report(_ kind: InputKind, _ index: Int, _ bytes: [UInt8], _ problems: [String]) -> String {
    let hex = bytes.map { ($0 < 0x10 ? "0" : "") + String($0, radix: 16) }.joined()
    return """
      \(kind.rawValue) case \(index) with MPG_ROBUSTNESS_SEED=\(seed):
      \(problems.joined(separator: "\n"))
      input: \(String(decoding: bytes, as: UTF8.self).debugDescription)
      bytes: \(hex)
      """
  }

  static func environment(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
  }
}
