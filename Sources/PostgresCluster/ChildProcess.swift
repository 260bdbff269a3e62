import FileIO
import Glibc
import Subprocess
import SystemPackage

/// Runs short-lived programs (initdb, psql, cp, pg_config…) to completion, as the cluster user when given.
///
/// Children get a small fixed environment rather than ours: the emulator's environment can hold API
/// secrets, and PostgreSQL's programs read PG* variables. Secrets go to children through `input` (stdin)
/// or `environment`, never through arguments, which any local user can read in /proc.
enum ChildProcess {
  /// What a finished child printed and how it ended.
  struct Outcome: Sendable {
    let status: TerminationStatus
    let standardOutput: String
    let standardError: String
    var succeeded: Bool { status.isSuccess }
  }

  /// The environment every child starts from.
  static let baseEnvironment: [String: String] = [
    "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
  ]

  static func run(
    _ executable: String,
    _ arguments: [String],
    as user: ClusterUser? = nil,
    input: String? = nil,
    environment: [String: String] = [:],
    workingDirectory: String? = nil
  ) async throws(ClusterError) -> Outcome {
    let (program, programArguments) = switchingIdentity(executable, arguments, to: user)
    let configuration = Configuration(
      executable: .path(FilePath(program)),
      arguments: Arguments(programArguments),
      environment: childEnvironment(environment, user: user),
      workingDirectory: workingDirectory.map { FilePath($0) } ?? FilePath("/"),
      platformOptions: platformOptions(for: user)
    )
    do {
      // Input comes from a memory file, not a pipe: swift-subprocess 1.0.2 traps ("FileDescriptor … was
      // not closed") when writing a pipe fails midway (a psql that ends before reading all its SQL, CI
      // saw it as a crash of the whole test run); a file the child reads has no writer that can fail.
      // It holds passwords at times, so it lives in memory only (see `MemoryFile`).
      let standardInput = try input.map { text throws(ClusterError) -> FileDescriptor in
        let file: MemoryFile
        do {
          file = try MemoryFile(name: "mpg-child-input", text: text)
        } catch {
          throw .commandFailed(command: executable, status: "not started", detail: "its input: \(error)")
        }
        guard let descriptor = file.handOver() else {
          throw .commandFailed(command: executable, status: "not started", detail: "its input was closed")
        }
        return FileDescriptor(rawValue: descriptor)
      }
      // Run to the end even when the caller is cancelled (an emulator stopping while its metrics
      // sampler runs psql): swift-subprocess 1.0.2 also traps when a cancellation reaches it while it
      // still holds a pipe. The children are short (or, like initdb, must finish anyway), and they die
      // with mpg.
      let result = try await Task {
        if let standardInput {
          return try await Subprocess.run(
            configuration, input: .fileDescriptor(standardInput, closeAfterSpawningProcess: true),
            output: .string(limit: 64 << 20), error: .string(limit: 1 << 20))
        }
        return try await Subprocess.run(
          configuration, input: .none, output: .string(limit: 64 << 20), error: .string(limit: 1 << 20))
      }.value
      return Outcome(
        status: result.terminationStatus,
        standardOutput: result.standardOutput,
        standardError: result.standardError)
    } catch {
      throw .commandFailed(command: executable, status: "not started", detail: "\(error)")
    }
  }

  /// Runs and throws `commandFailed` (with stderr) unless the child exits 0; returns stdout.
  @discardableResult
  static func check(
    _ executable: String,
    _ arguments: [String],
    as user: ClusterUser? = nil,
    input: String? = nil,
    environment: [String: String] = [:]
  ) async throws(ClusterError) -> String {
    let outcome = try await run(executable, arguments, as: user, input: input, environment: environment)
    guard outcome.succeeded else {
      throw .commandFailed(
        command: ([executable] + arguments).joined(separator: " "), status: "\(outcome.status)",
        detail: trimmed(outcome.standardError))
    }
    return outcome.standardOutput
  }

  static func childEnvironment(_ extra: [String: String], user: ClusterUser?) -> Environment {
    var values = baseEnvironment
    // HOME decides where psql looks for ~/.pgpass; under root's identity switch it would be /root.
    values["HOME"] = user.map { $0.isCurrentUser ? (getenvString("HOME") ?? "/") : "/" } ?? (getenvString("HOME") ?? "/")
    for (key, value) in extra { values[key] = value }
    // The mark by which this process's guardian finds the child if this process dies first.
    if let token = ProcessGuardian.token { values[ProcessGuardian.variable] = token }
    var environment: [Environment.Key: String] = [:]
    for (key, value) in values {
      if let key = Environment.Key(rawValue: key) { environment[key] = value }
    }
    return .custom(environment)
  }

  /// The program and arguments that run `executable` as `user`: through `setpriv` when the identity
  /// changes. Why not swift-subprocess's `userID`/`groupID`: it calls `setgroups`/`setgid`/`setuid` in the
  /// forked child of this multithreaded process, where glibc's set-id broadcast to the parent's other
  /// threads can wait forever (seen as a hung test under load). `setpriv` switches after its own exec,
  /// in a single-threaded process, and then execs the program, so the PID stays the program's.
  static func switchingIdentity(_ executable: String, _ arguments: [String], to user: ClusterUser?) -> (String, [String]) {
    guard let user, !user.isCurrentUser else { return (executable, arguments) }
    return (setprivPath, ["--reuid=\(user.userID)", "--regid=\(user.groupID)", "--clear-groups", "--", executable] + arguments)
  }

  /// util-linux's `setpriv` (Essential on Debian).
  static let setprivPath = "/usr/bin/setpriv"

  /// Options for a child: its own session when detached (so Ctrl-C to the emulator does not reach it).
  static func platformOptions(for user: ClusterUser?, detached: Bool = false) -> PlatformOptions {
    var options = PlatformOptions()
    options.createSession = detached
    // A process group of its own: Ctrl-C at mpg's prompt (sent to the terminal's foreground group)
    // must not kill the emulator's initdb, pg_ctl or pg_basebackup.
    if !detached { options.processGroupID = 0 }
    return options
  }

  static func trimmed(_ text: String) -> String {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    if lines.count > 20 { lines = Array(lines.suffix(20)) }
    return lines.joined(separator: "\n")
  }
}

/// `getenv` as a Swift string.
func getenvString(_ name: String) -> String? {
  guard let value = getenv(name) else { return nil }
  return String(cString: value)
}
