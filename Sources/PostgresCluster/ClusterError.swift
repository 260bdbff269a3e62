import Glibc

/// Why an operation on PostgreSQL installations, templates or clusters failed.
public enum ClusterError: Error, Sendable, Equatable, CustomStringConvertible {
  /// No PostgreSQL installation was found at all.
  case noInstallation(searched: [String])
  /// A data directory needs exactly this major and no installation provides it.
  case majorNotInstalled(major: Int, installed: [Int])
  /// A system call on a file or directory failed.
  case fileSystem(operation: String, path: String, errno: Int32)
  /// A program (initdb, psql, cp, useradd…) could not be run or exited with a failure.
  case commandFailed(command: String, status: String, detail: String)
  /// `postgres` exited or did not become ready in time; `logTail` is the end of its log.
  case startFailed(reason: String, logTail: String)
  /// A postmaster that would not stop after fast, immediate and kill signals.
  case stopFailed(pid: Int32)
  /// psql reported an error for a statement sent by `Cluster`.
  case sqlFailed(message: String)
  /// A setting name is not a valid PostgreSQL parameter name, or the server does not know it.
  case unknownSettings([String])
  /// A value that cannot be passed to PostgreSQL (for example one holding a NUL character).
  case invalidValue(String)
  /// The directory is not reachable by the cluster user (an ancestor is not searchable by it).
  case unreachableDirectory(path: String, user: String)
  /// No cluster (data directory with mpg's configuration) exists at this path.
  case notACluster(path: String)
  /// The cluster user could neither be found nor created.
  case noClusterUser(detail: String)

  /// Whether `postgres` failed to start (see `startFailed`).
  public var isStartFailure: Bool {
    if case .startFailed = self { return true }
    return false
  }

  public var description: String {
    switch self {
    case .noInstallation(let searched):
      return "no PostgreSQL installation found (searched: \(searched.joined(separator: ", "))); run scripts/install-deps"
    case .majorNotInstalled(let major, let installed):
      let list = installed.map(String.init).joined(separator: ", ")
      return
        "PostgreSQL \(major) is not installed (installed: \(list.isEmpty ? "none" : list)); install it with `mpg emulator postgres install \(major)`"
    case .fileSystem(let operation, let path, let code):
      return "\(operation) \(path): \(String(cString: strerror(code)))"
    case .commandFailed(let command, let status, let detail):
      return "\(command) failed (\(status))\(detail.isEmpty ? "" : ": \(detail)")"
    case .startFailed(let reason, let logTail):
      return "postgres did not start: \(reason)\(logTail.isEmpty ? "" : "\n\(logTail)")"
    case .stopFailed(let pid):
      return "postmaster \(pid) did not stop"
    case .sqlFailed(let message):
      return "SQL failed: \(message)"
    case .unknownSettings(let names):
      return "unknown PostgreSQL parameter\(names.count == 1 ? "" : "s"): \(names.joined(separator: ", "))"
    case .invalidValue(let detail):
      return "invalid value: \(detail)"
    case .unreachableDirectory(let path, let user):
      return "\(path) is not reachable by the cluster user \(user); use ClusterUser.reachableDirectory(for:)"
    case .notACluster(let path):
      return "\(path) holds no mpg cluster"
    case .noClusterUser(let detail):
      return "no unprivileged user to run PostgreSQL: \(detail)"
    }
  }
}
