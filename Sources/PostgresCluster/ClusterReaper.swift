import FileIO
import Glibc
import Logging

/// Stops PostgreSQL servers left running under a directory by an earlier emulator run (one killed with
/// SIGKILL, say), so that no postmaster is ever orphaned. Used at emulator start-up and by `reset`.
///
/// It finds them through /proc rather than through `postmaster.pid` files, so it also finds a server whose
/// data directory was already deleted: a `postgres` process whose working directory (a postmaster's is its
/// data directory) lies under the root and whose parent is not a `postgres` of the same directory is a
/// postmaster. Each gets a fast shutdown, then an immediate one, then SIGKILL.
public enum ClusterReaper {
  /// What `stopLeftovers(under:logger:)` found.
  public struct Report: Sendable, Equatable {
    /// Postmasters that were running and have stopped.
    public let stopped: [Int32]
    /// Postmasters that survived every signal (not expected; a pid to look at by hand).
    public let survivors: [Int32]
  }

  /// The postmasters whose data directory is `root` or lies under it.
  public static func leftoverPostmasters(under root: String) -> [Int32] {
    let root = FileSystem.realPath(root) ?? FileSystem.absolute(root)
    func isUnderRoot(_ directory: String) -> Bool {
      directory == root || directory.hasPrefix(root == "/" ? "/" : root + "/")
    }
    var postmasters: [Int32] = []
    for pid in ProcessTable.allProcessIDs() where pid != getpid() {
      guard let info = ProcessTable.stat(pid), info.command == "postgres", info.state != "Z",
        let directory = ProcessTable.workingDirectory(pid), isUnderRoot(directory)
      else { continue }
      let parentIsSameServer =
        ProcessTable.stat(info.parent)?.command == "postgres" && ProcessTable.workingDirectory(info.parent) == directory
      if !parentIsSameServer { postmasters.append(pid) }
    }
    return postmasters.sorted()
  }

  /// Stops every postmaster under `root` and waits for them to exit.
  @discardableResult
  public static func stopLeftovers(under root: String, logger: Logger = Logger(label: "mpg.postgres")) async -> Report {
    let found = leftoverPostmasters(under: root)
    guard !found.isEmpty else { return Report(stopped: [], survivors: []) }
    logger.info("stopping \(found.count) PostgreSQL server(s) left running under \(root): \(found)")
    let survivors = await Task { await ProcessTable.stopPostmasters(found, fastTimeout: .seconds(10)) }.value
    if !survivors.isEmpty { logger.error("PostgreSQL server(s) \(survivors) under \(root) did not stop") }
    return Report(stopped: found.filter { !survivors.contains($0) }, survivors: survivors)
  }
}
