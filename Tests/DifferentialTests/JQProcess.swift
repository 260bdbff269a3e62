import Foundation
import MPGTestSupport

/// What one run of the `jq` command-line program printed and returned.
typealias JQRun = MPGRun

/// Runs the system's `jq` CLI (1.6, the same libjq mpg embeds): the oracle of the differential test.
enum JQProcess {
  /// `jq` from `JQ_BINARY`, else the first one on `PATH`.
  static var executableURL: URL? {
    let environment = ProcessInfo.processInfo.environment
    if let override = environment["JQ_BINARY"] { return URL(fileURLWithPath: override) }
    for directory in (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
      let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("jq")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    return nil
  }

  /// Runs `jq` with `arguments` and nothing on standard input (inputs are passed as files).
  static func run(_ arguments: [String]) throws -> JQRun {
    guard let executableURL else { throw Missing() }
    return try MPGProcess.run(executable: executableURL, arguments)
  }

  /// No `jq` executable was found.
  struct Missing: Error, CustomStringConvertible {
    var description: String { "the differential test needs the jq CLI (apt-get install jq) or JQ_BINARY" }
  }
}
