import Foundation

/// What one run of the `jq` command-line program printed and returned.
struct JQRun: Sendable {
  /// Everything written to standard output.
  var standardOutput: String
  /// Everything written to standard error.
  var standardError: String
  /// The exit status.
  var status: Int32
}

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

  /// Runs `jq` with `arguments` and nothing on standard input (inputs are passed as files, so a jq
  /// that exits before reading cannot kill the test process with SIGPIPE).
  static func run(_ arguments: [String]) throws -> JQRun {
    guard let executableURL else { throw Missing() }
    let process = Process()
    process.executableURL = executableURL
    process.arguments = arguments
    // The same environment `MPGProcess` gives mpg, so `env` and `$ENV` can be compared.
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    process.environment = environment
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    // Read standard error on another thread so a full pipe cannot deadlock the child.
    nonisolated(unsafe) var errorData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      errorData = stderr.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return JQRun(
      standardOutput: String(decoding: outputData, as: UTF8.self),
      standardError: String(decoding: errorData, as: UTF8.self),
      status: process.terminationStatus
    )
  }

  /// No `jq` executable was found.
  struct Missing: Error, CustomStringConvertible {
    var description: String { "the differential test needs the jq CLI (apt-get install jq) or JQ_BINARY" }
  }
}
