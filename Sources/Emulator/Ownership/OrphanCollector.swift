import FileIO
import FoundationEssentials
import Logging
import PostgresCluster

#if canImport(Glibc)
  import Glibc
#endif

/// Reclaims what emulators that are gone left behind: cluster roots kept outside their data directory
/// (under /var/lib/mpg, when the cluster user cannot reach the data directory) whose data directory no
/// longer exists, with any server still running there; half-made template copies in a root; prewarm
/// socket directories of dead processes. Runs at every emulator start and as `mpg emulator gc`.
public enum OrphanCollector {
  /// What a collection removed, and what it left because it cannot tell whose it is.
  public struct Report: Sendable {
    /// Paths removed.
    public var removed: [String] = []
    /// Bytes those paths held.
    public var bytes: Int64 = 0
    /// Cluster roots made by mpg before roots named their data directory; kept unless asked.
    public var unowned: [String] = []
  }

  /// Collects; `includingUnowned` also removes roots that name no data directory and run no server.
  public static func collect(includingUnowned: Bool = false, logger: Logger = Logger(label: "mpg.emulator")) async -> Report {
    var report = Report()
    let base = ClusterUser.fallbackBaseDirectory
    for name in FileSystem.entries(base) where name != "installations" {
      let root = base + "/" + name
      guard isClusterRoot(root) else { continue }
      if let owner = try? FileText.read(root + "/" + LocalClusters.ownerFileName) {
        let dataDirectory = owner.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !dataDirectory.isEmpty, access(dataDirectory, F_OK) != 0 else { continue }
      } else {
        guard includingUnowned, ClusterReaper.leftoverPostmasters(under: root).isEmpty else {
          report.unowned.append(root)
          continue
        }
      }
      let size = FileSystem.regularFileBytes(under: root)
      do {
        try await LocalClusters.removeRoot(root)
        report.removed.append(root)
        report.bytes += size
      } catch {
        logger.warning("could not remove \(root): \(error)")
      }
    }
    // Prewarm sockets, and the throwaway twins of dry runs (`mpg-dry-run-PID-…`), of processes that are gone.
    for name in FileSystem.entries("/tmp") {
      guard let prefix = ["mpg-prewarm-", "mpg-dry-run-"].first(where: { name.hasPrefix($0) }) else { continue }
      let pid = pid_t(name.dropFirst(prefix.count).prefix { $0.isNumber }) ?? 0
      guard pid > 0, pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
      let path = "/tmp/" + name
      let size = FileSystem.regularFileBytes(under: path)
      if (try? FileSystem.removeTree(path)) != nil {
        report.removed.append(path)
        report.bytes += size
      }
    }
    if !report.removed.isEmpty {
      logger.notice(
        "reclaimed \(report.removed.count) item(s) left by emulators that are gone (\(report.bytes / 1_048_576) MB): \(report.removed)"
      )
    }
    return report
  }

  /// A directory mpg made for clusters: it holds a `templates` directory.
  private static func isClusterRoot(_ path: String) -> Bool {
    FileSystem.isDirectory(path + "/templates")
  }
}
