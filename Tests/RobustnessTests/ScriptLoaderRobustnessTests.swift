import Builtins
import Outcomes
import Testing

@testable import Interpreter

/// Runs a few hundred generated inputs through the whole load path, which also compiles every jq
/// expression (about 25 ms per batch, so not for all 100,000 cases): jq's own rejections must come
/// back as located diagnostics too.
@Suite struct ScriptLoaderRobustnessTests {
  static let casesPerKind: [InputKind: Int] = [.randomBytes: 50, .tokenSoup: 100, .mutation: 250]

  @Test(arguments: InputKind.allCases)
  func loadingRejectsOnlyWithLocatedDiagnostics(kind: InputKind) {
    // Offset the cases from the parser test's so these inputs are new ones.
    let firstCase = 1_000_000
    var failures = 0
    for index in firstCase..<firstCase + Self.casesPerKind[kind]! {
      var random = SeededGenerator(seed: ParserRobustnessTests.seed, case: index)
      let bytes = kind.generate(using: &random)
      let problems = Self.check(bytes)
      if !problems.isEmpty {
        failures += 1
        Issue.record(Comment(rawValue: ParserRobustnessTests.report(kind, index, bytes, problems)))
        if failures >= 5 { break }
      }
    }
  }

  static func check(_ bytes: [UInt8]) -> [String] {
    let file = SourceFile(name: "fuzz.mpg", text: String(decoding: bytes, as: UTF8.self))
    // `source` gets a fixed small script instead of the disk, so a mutated `source -` cannot block
    // on standard input and the result does not depend on the machine's files.
    let loader = ScriptLoader(
      builtins: ParserRobustnessTests.builtins,
      predefinedVariables: ["args"],
      knownFunctions: [],
      readFile: { path throws(RuntimeError) in
        guard path.hasSuffix(".mpg") else { throw RuntimeError(kind: .io, message: "cannot read \(path)") }
        return "fn helper x { return $x }\nlet shared = 1\n"
      }
    )
    do {
      let scripts = try loader.load(file)
      return scripts.isEmpty ? ["loading succeeded without a script"] : []
    } catch {
      if error.diagnostics.isEmpty { return ["loading failed with no diagnostic"] }
      let main = error.diagnostics.filter { $0.span?.file === file }
      var problems = LocatedDiagnostics.problems(in: main, of: file)
      for diagnostic in error.diagnostics where diagnostic.span?.file !== file {
        if let span = diagnostic.span {
          problems += LocatedDiagnostics.problems(in: [diagnostic], of: span.file)
        } else {
          problems.append("`\(diagnostic.message)` has no location")
        }
      }
      return problems
    }
  }
}
