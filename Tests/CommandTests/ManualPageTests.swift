import Foundation
import JQ
import MPGTestSupport
import Testing

/// `mpg help --man` prints mpg(1) and mpg-language(7) from the declarations; nothing declared may be
/// missing from them, and nothing the sources read from the environment may be undocumented.
@Suite("manual pages")
struct ManualPageTests {
  static let commandPage = Result { try MPGProcess.run(["help", "--man"]) }
  static let languagePage = Result { try MPGProcess.run(["help", "--man", "mpg-language"]) }

  /// The text of a section of `page` (from `.SH NAME` to the next `.SH`).
  static func section(_ name: String, of page: String) -> String {
    guard let start = page.range(of: ".SH \(name)\n") else { return "" }
    let rest = page[start.upperBound...]
    return String(rest[..<(rest.range(of: "\n.SH ")?.lowerBound ?? rest.endIndex)])
  }

  @Test func everyDeclaredCommandAndOptionIsInMpg1() throws {
    let page = try Self.commandPage.get()
    #expect(page.status == 0, "\(page.standardError)")
    let text = page.standardOutput
    #expect(text.hasPrefix(".TH MPG 1 "))
    for root in [[], ["emulator"], ["profile"]] {
      let dump = try MPGProcess.run(root + ["--experimental-dump-help"])
      let command = try #require(try JSONValue(parsing: dump.standardOutput)["command"])
      var checked = 0
      func visit(_ command: JSONValue, path: [String]) {
        if !path.isEmpty {
          #expect(
            text.contains(".SS \"mpg \(path.joined(separator: " "))"),
            "mpg(1) has no section for mpg \(path.joined(separator: " "))")
        }
        for argument in command["arguments"]?.arrayElements ?? [] where argument["shouldDisplay"]?.boolValue == true {
          for name in argument["names"]?.arrayElements ?? [] where name["kind"]?.stringValue == "long" {
            let long = name["name"]?.stringValue ?? ""
            #expect(
              text.contains("\\fB\\-\\-\(long.replacingOccurrences(of: "-", with: "\\-"))\\fR"),
              "mpg(1) lacks --\(long) of mpg \(path.joined(separator: " "))")
            checked += 1
          }
        }
        for subcommand in command["subcommands"]?.arrayElements ?? [] {
          let name = subcommand["commandName"]?.stringValue ?? ""
          if name != "help" { visit(subcommand, path: path + [name]) }
        }
      }
      visit(command, path: root)
      #expect(checked >= 2, "the dump of mpg \(root) declares no options")
    }
    for word in ["help", "version", "completion"] {
      #expect(text.contains(".SS \"mpg \(word)"), "mpg(1) lacks mpg \(word)")
    }
  }

  /// Every variable a source file reads (`getenv`, `environment[…]`, a `static let` naming one, the
  /// proxy variables) is in mpg(1)'s ENVIRONMENT section.
  @Test func everyVariableTheSourcesReadIsDocumented() throws {
    let environment = Self.section("ENVIRONMENT", of: try Self.commandPage.get().standardOutput)
    let patterns = [
      #"getenv(?:String)?\("([A-Za-z_]+)"\)"#, #"environment\["([A-Z_]+)"\]"#,
      #"static let \w+ = "((?:MPG|CLICKHOUSE|XDG)_[A-Z_]+)""#, #"value\("([a-z]+_proxy)"\)"#,
    ].map { try! NSRegularExpression(pattern: $0) }
    let sources = MPGProcess.packageRoot().appendingPathComponent("Sources")
    var found: Set<String> = []
    let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
    for case let file as URL in files where file.pathExtension == "swift" {
      let text = try String(contentsOf: file, encoding: .utf8)
      for pattern in patterns {
        for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
          found.insert(String(text[Range(match.range(at: 1), in: text)!]).uppercased())
        }
      }
    }
    #expect(found.count >= 15, "the scan found only \(found.sorted())")
    for name in found.sorted() {
      #expect(environment.contains(".B \(name)\n"), "\(name) is read by the sources but missing from mpg(1)'s ENVIRONMENT")
    }
  }

  @Test func everyExitStatusIsInMpg1() throws {
    let statuses = Self.section("EXIT STATUS", of: try Self.commandPage.get().standardOutput)
    let source = try String(
      contentsOf: MPGProcess.packageRoot().appendingPathComponent("Sources/Outcomes/ExitStatus.swift"), encoding: .utf8)
    let codes = source.split(separator: "\n").compactMap { line in
      line.contains("static let") ? line.split(separator: "= ").last.map(String.init) : nil
    }
    #expect(codes.count >= 6)
    for code in codes { #expect(statuses.contains(".B \(code)\n"), "exit status \(code) is missing from mpg(1)") }
  }

  @Test func everyCommandStatementAndTopicIsInTheLanguagePage() throws {
    let page = try Self.languagePage.get()
    #expect(page.status == 0, "\(page.standardError)")
    #expect(page.standardOutput.hasPrefix(".TH MPG-LANGUAGE 7 "))
    let overview = try MPGProcess.run(["-c", "help"]).standardOutput
    let names = overview.split(separator: "\n").filter { $0.hasPrefix("  ") }.map { String($0.dropFirst(2).prefix { $0 != " " }) }
    #expect(names.count >= 40, "\(overview)")
    for name in names + ["history", "vars", "set", "record"] {
      #expect(page.standardOutput.contains(".SS \(name)\n"), "mpg-language(7) lacks \(name)")
    }
  }

  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/groff"), "groff is not installed"))
  func groffRendersBothPagesWithoutWarnings() throws {
    for page in [try Self.commandPage.get(), try Self.languagePage.get()] {
      let render = try MPGProcess.run(
        executable: URL(fileURLWithPath: "/usr/bin/groff"), ["-man", "-Tutf8", "-ww", "-z"], input: page.standardOutput)
      #expect(render.status == 0 && render.standardError.isEmpty, "\(render.standardError)")
    }
  }

  @Test func anUnknownPageIsAUsageError() throws {
    let run = try MPGProcess.run(["help", "--man", "mpg-nothing"])
    #expect(run.status == 2)
    #expect(run.standardError.contains("usage: mpg help --man [mpg | mpg-language]"), "\(run.standardError)")
  }
}
