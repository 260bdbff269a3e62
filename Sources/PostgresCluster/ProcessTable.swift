import FileIO
import Glibc

/// What /proc and `postmaster.pid` say about PostgreSQL processes, and how to stop a postmaster.
enum ProcessTable {
  /// The first lines of a data directory's `postmaster.pid`.
  struct PostmasterPIDFile {
    let pid: pid_t
    /// "starting", "ready", "standby" or "stopping" (PostgreSQL's PM_STATUS line), empty before it is written.
    let status: String

    /// Ready for connections: "ready" for a primary, "standby" for a hot standby.
    var acceptsConnections: Bool { status == "ready" || status == "standby" }

    static func read(dataDirectory: String) -> PostmasterPIDFile? {
      guard let text = try? ClusterFiles.readFile("\(dataDirectory)/postmaster.pid") else { return nil }
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      guard let first = lines.first, let pid = pid_t(first) else { return nil }
      let status = lines.count > 7 ? String(lines[7]).trimmingCharacters(in: " ") : ""
      return PostmasterPIDFile(pid: pid, status: status)
    }
  }

  /// The parent pid, command name and state letter from `/proc/PID/stat`; nil when the process is gone.
  static func stat(_ pid: pid_t) -> (parent: pid_t, command: String, state: Character)? {
    guard let text = try? ClusterFiles.readFile("/proc/\(pid)/stat"),
      let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")")
    else { return nil }
    let command = String(text[text.index(after: open)..<close])
    let fields = text[text.index(after: close)...].split(separator: " ")
    guard fields.count > 1, let state = fields[0].first, let parent = pid_t(fields[1]) else { return nil }
    return (parent, command, state)
  }

  /// Whether `pid` exists and has not exited (a zombie counts as exited).
  static func isAlive(_ pid: pid_t) -> Bool {
    guard pid > 0, let info = stat(pid) else { return false }
    return info.state != "Z" && info.state != "X"
  }

  /// The process's working directory; a postmaster's is its data directory. " (deleted)" is stripped.
  static func workingDirectory(_ pid: pid_t) -> String? {
    guard var target = FileSystem.linkTarget("/proc/\(pid)/cwd") else { return nil }
    if target.hasSuffix(" (deleted)") { target.removeLast(" (deleted)".count) }
    return target
  }

  /// Every process id in /proc.
  static func allProcessIDs() -> [pid_t] {
    FileSystem.entries("/proc").compactMap { pid_t($0) }
  }

  /// The pid of the live postmaster serving `dataDirectory`, if any: the pid in `postmaster.pid`, still
  /// running, a `postgres` process, working in that directory (so a recycled pid is never mistaken for it).
  static func livePostmaster(dataDirectory: String) -> pid_t? {
    guard let file = PostmasterPIDFile.read(dataDirectory: dataDirectory), isAlive(file.pid),
      stat(file.pid)?.command == "postgres",
      let directory = workingDirectory(file.pid),
      directory == (FileSystem.realPath(dataDirectory) ?? dataDirectory)
    else { return nil }
    return file.pid
  }

  /// Waits until no live process works in `directory` (a stopped server's last children), at most `timeout`.
  static func waitUntilNoProcess(workingIn directory: String, timeout: Duration) async {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline, allProcessIDs().contains(where: { isAlive($0) && workingDirectory($0) == directory }) {
      try? await Task.sleep(for: .milliseconds(5))
    }
  }

  /// Stops postmasters the way `pg_ctl` modes do: fast shutdown (SIGINT: disconnect clients, checkpoint),
  /// then immediate (SIGQUIT) after `fastTimeout`, then SIGKILL. `isGone` says when one has exited (our
  /// own children are reaped by their Subprocess task, others by init). Returns the pids that survived.
  static func stopPostmasters(
    _ pids: [pid_t], fastTimeout: Duration = .seconds(30), isGone: @escaping @Sendable (pid_t) async -> Bool = { !isAlive($0) }
  ) async -> [pid_t] {
    var remaining = pids
    let clock = ContinuousClock()
    for (signal, timeout) in [(SIGINT, fastTimeout), (SIGQUIT, Duration.seconds(5)), (SIGKILL, Duration.seconds(5))] {
      for pid in remaining { kill(pid, signal) }
      let deadline = clock.now + timeout
      while !remaining.isEmpty && clock.now < deadline {
        try? await Task.sleep(for: .milliseconds(10))
        var still: [pid_t] = []
        for pid in remaining where !(await isGone(pid)) { still.append(pid) }
        remaining = still
      }
      if remaining.isEmpty { break }
    }
    return remaining
  }
}

extension String {
  /// The string without leading and trailing `character`s.
  func trimmingCharacters(in character: Character) -> String {
    String(drop { $0 == character }.reversed().drop { $0 == character }.reversed())
  }
}
