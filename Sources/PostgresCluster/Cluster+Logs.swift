import FileIO
/// The server log of a cluster, kept to a bounded size.
///
/// PostgreSQL's own logging collector writes the log into `data/log/` as `jsonlog` (one JSON object per
/// line, so messages spanning lines parse reliably), starting a new file whenever the current one reaches
/// `logRotationSize` (and once a day). Beside each `.json` file the collector keeps a `.log` file for
/// whatever child processes print to stderr themselves. Its rotation never deletes a file, so the
/// cluster deletes all but the newest `keptLogFiles` itself: at every start and whenever the emulator's
/// housekeeping calls `pruneLogs()`. A cluster's log so takes at most about
/// (`keptLogFiles` + the files written between two prunings) × `logRotationSize`.
extension Cluster {
  /// The size at which the collector starts a new log file.
  public static let logRotationSize = "10MB"
  /// How many log files `pruneLogs()` keeps.
  public static let keptLogFiles = 4

  /// The collector's directory, inside the data directory.
  public nonisolated var logDirectory: String { "\(dataDirectory)/log" }

  /// The lines of `mpg-cluster.conf` that turn the collector on.
  static var logSettings: String {
    // Names sort by time, so the newest file is the last one; a file name taken twice (two rotations in
    // one second) is appended to, never truncated.
    // Times in UTC, so that readers need no time zone database; statements that take at least
    // `slowStatementThreshold` are logged with their duration (the slow query patterns' executions).
    """
    logging_collector = on
    log_destination = 'jsonlog'
    log_timezone = 'UTC'
    log_min_duration_statement = '\(slowStatementThreshold)'
    log_directory = 'log'
    log_filename = 'postgresql-%Y%m%d-%H%M%S.log'
    log_file_mode = 0600
    log_rotation_size = '\(logRotationSize)'
    log_rotation_age = '1d'
    log_truncate_on_rotation = off

    """
  }

  /// Statements running at least this long are logged with their duration.
  public static let slowStatementThreshold = "100ms"

  /// The collector's `jsonlog` files, oldest first: the server log.
  public nonisolated var logFiles: [String] {
    collectorFiles(endingIn: ".json")
  }

  /// The collector's files with `suffix` (`.json` for the log, `.log` for raw stderr), oldest first.
  nonisolated func collectorFiles(endingIn suffix: String) -> [String] {
    FileSystem.entries(logDirectory).filter { $0.hasPrefix("postgresql-") && $0.hasSuffix(suffix) }.map {
      "\(logDirectory)/\($0)"
    }
  }

  /// Deletes all but the newest `keptLogFiles` of the collector's files of each kind.
  public nonisolated func pruneLogs() {
    for suffix in [".json", ".log"] {
      for file in collectorFiles(endingIn: suffix).dropLast(Self.keptLogFiles) { try? ClusterFiles.removeTree(file) }
    }
  }

  /// The end of what the server printed before its collector started, then the end of its newest log
  /// file: where a failed start explains itself.
  nonisolated func recentLog() -> String {
    [
      FileSystem.tail(logFile), collectorFiles(endingIn: ".log").last.map { FileSystem.tail($0) } ?? "",
      logFiles.last.map { FileSystem.tail($0) } ?? "",
    ].filter { !$0.isEmpty }.joined(separator: "\n")
  }
}
