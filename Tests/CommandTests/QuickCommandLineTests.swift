import ArgumentParser
import Testing

@testable import MPGShell

/// The quick reader of mpg's command line must agree with argument-parser on every command line it
/// accepts, and accept the usual ones (otherwise it saves nothing).
struct QuickCommandLineTests {
  /// Command lines people type, each of which the quick reader must take.
  static let usual: [[String]] = [
    [],
    ["-c", "1 + 1"],
    ["-c", ""],
    ["script.mpg"],
    ["-"],
    ["--local", "runbook.mpg"],
    ["--local", "-c", "list"],
    ["--rate-limit", "off", "-c", "list | map(.id)"],
    ["-r", "-c", "get db | .state"],
    ["--raw-output", "--compact", "--no-color", "-c", "list"],
    ["--color", "--trace", "--dry-run", "--show-secrets", "-c", "orgs"],
    ["--check", "runbook.mpg"],
    ["--endpoint", "http://127.0.0.1:8080", "--key-id", "k", "--key-secret", "s", "--org", "o", "-c", "list"],
    ["--profile", "work", "script.mpg", "a", "b"],
    ["script.mpg", "--trace", "-c", "x", "--", "-"],
    ["script.mpg", "--local"],
    ["-c", "1", "extra.mpg"],
  ]

  /// Command lines the quick reader may take or leave; when it takes one, it must read it as
  /// argument-parser does.
  static let others: [[String]] = [
    ["--help"], ["-h"], ["--version"], ["-c"], ["-c", "-1"], ["-c", "1", "-c", "2"], ["--local", "--local"],
    ["--color", "--no-color", "-c", "1"], ["--no-color", "--no-color"], ["-r", "--raw-output", "-c", "1"],
    ["--org=o", "-c", "1"], ["-rc", "1"], ["--", "script.mpg"], ["--unknown"], ["-x", "script.mpg"],
    ["--arg", "name", "value", "-c", "$name"], ["--argjson", "n", "1", "script.mpg"],
    ["--endpoint"], ["--rate-limit", "--local"], ["emulator", "status"], ["profile", "list"],
    ["script.mpg", "--help"], ["script.mpg", "--version"], ["--local", "script.mpg", "--local", "x"],
    ["--key-secret", "s", "--key-secret", "t", "-c", "1"], ["-", "a"], ["--check", "-c", "list"],
  ]

  @Test(arguments: usual)
  func takesTheUsualCommandLines(_ words: [String]) throws {
    let quick = try #require(QuickCommandLine.parse(words), "declined \(words)")
    #expect(quick == (try argumentParser(words)), "\(words)")
  }

  @Test(arguments: others)
  func agreesWithArgumentParserWhenItTakesOne(_ words: [String]) throws {
    guard let quick = QuickCommandLine.parse(words) else { return }
    #expect(quick == (try? argumentParser(words)), "\(words)")
  }

  @Test func declinesWhatOnlyArgumentParserCanAnswer() {
    for words in [["--help"], ["--version"], ["-c"], ["--org=o"], ["--unknown"], ["emulator", "status"], ["--", "x"]] {
      #expect(QuickCommandLine.parse(words) == nil, "\(words)")
    }
  }

  /// Thousands of command lines built from mpg's own words (and some it does not know), in a fixed
  /// pseudo-random order: whenever the quick reader takes one, argument-parser must read the same.
  @Test func agreesOnGeneratedCommandLines() throws {
    let vocabulary = [
      "-c", "1", "list", "--local", "-r", "--raw-output", "--compact", "--color", "--no-color", "--trace", "--check",
      "--dry-run", "--show-secrets", "--rate-limit", "off", "--endpoint", "--key-id", "--key-secret", "--org", "--profile",
      "x.mpg", "-", "--", "-x", "--help", "--arg", "--argjson", "n", "", "-1", "--org=o", "emulator",
    ]
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    var taken = 0
    for _ in 0..<3000 {
      let words = (0..<next(7)).map { _ in vocabulary[next(vocabulary.count)] }
      guard let quick = QuickCommandLine.parse(words) else { continue }
      taken += 1
      #expect(quick == (try? argumentParser(words)), "\(words)")
    }
    #expect(taken > 300, "the quick reader took only \(taken) generated command lines")
  }

  /// What argument-parser reads from `words`, as `main` hands them to it.
  private func argumentParser(_ words: [String]) throws -> Invocation {
    let command = try MPG.parseAsRoot(MPG.joiningPairs(words))
    return try #require(command as? MPG).invocation
  }
}
