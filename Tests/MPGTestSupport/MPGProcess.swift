import Foundation

/// What one run of the `mpg` executable printed and returned.
public struct MPGRun: Sendable {
  /// Everything written to standard output.
  public var standardOutput: String
  /// Everything written to standard error.
  public var standardError: String
  /// The exit status.
  public var status: Int32
}

/// Runs the `mpg` executable that `swift build` placed beside the test bundle.
public enum MPGProcess {
  /// The built `mpg` executable: next to the running test bundle, or `MPG_BINARY` when set.
  public static var executableURL: URL {
    if let override = ProcessInfo.processInfo.environment["MPG_BINARY"] {
      return URL(fileURLWithPath: override)
    }
    let testBundle = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    return testBundle.deletingLastPathComponent().appendingPathComponent("mpg")
  }

  /// The package's root directory (for finding test data and `../shared`).
  public static func packageRoot(file: StaticString = #filePath) -> URL {
    var url = URL(fileURLWithPath: "\(file)")
    while url.path != "/" {
      url.deleteLastPathComponent()
      if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
    }
    return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
  }

  /// Runs `mpg` with `arguments`, feeding `input` on standard input, in `directory`; with
  /// `interruptAfter`, sends SIGINT (Ctrl-C) that many seconds after the start.
  public static func run(
    _ arguments: [String], input: String = "", directory: URL? = nil, environment: [String: String] = [:],
    interruptAfter: Double? = nil
  ) throws -> MPGRun {
    try run(
      executable: executableURL, arguments, input: input, directory: directory, environment: environment,
      interruptAfter: interruptAfter)
  }

  /// Runs any program the way `run` runs mpg (the differential test runs the jq CLI with it).
  public static func run(
    executable: URL, _ arguments: [String], input: String = "", directory: URL? = nil,
    environment: [String: String] = [:], interruptAfter: Double? = nil
  ) throws -> MPGRun {
    // A child that exits before reading its input must not kill the test process with SIGPIPE.
    signal(SIGPIPE, SIG_IGN)
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let stdin = Pipe()
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    // By process id, since `Process` is not Sendable; cancelled once the child is reaped so a reused
    // id is never signalled.
    let child = process.processIdentifier
    let interrupt = DispatchWorkItem { _ = kill(child, SIGINT) }
    if let interruptAfter {
      DispatchQueue.global().asyncAfter(deadline: .now() + interruptAfter, execute: interrupt)
    }
    // Read both pipes concurrently so a large output cannot deadlock the child.
    nonisolated(unsafe) var errorData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      errorData = stderr.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    if !input.isEmpty { try? stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8)) }
    try? stdin.fileHandleForWriting.close()
    let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    interrupt.cancel()
    return MPGRun(
      standardOutput: String(decoding: outputData, as: UTF8.self),
      standardError: String(decoding: errorData, as: UTF8.self),
      status: process.terminationStatus
    )
  }
}
