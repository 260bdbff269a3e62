import Glibc
import Synchronization

/// The ready-made copies of a template that let `Cluster.create` rename instead of copy.
extension ClusterTemplate {
  /// Templates whose spares this process is refilling, so only one refill runs per template.
  private static let refilling = Mutex<Set<String>>([])

  /// Puts a copy of the template's data directory at `destination` (which must not exist): a spare
  /// renamed into place when one is left and on the same file system, otherwise a fresh `cp -a`. Then
  /// refills the spares in the background.
  func copyDataDirectory(to destination: String) async throws(ClusterError) {
    defer { replenishSparesInBackground() }
    for spare in spares() {
      if rename(spare, destination) == 0 { return }
      // ENOENT: another process took this one first. EXDEV: another file system; copy instead.
      if errno != ENOENT { break }
    }
    // cp keeps the template's owner and 0700 mode.
    try await ChildProcess.check("/bin/cp", ["-a", "--reflink=auto", "--", dataDirectory, destination])
  }

  /// The spare copies now present.
  func spares() -> [String] {
    let parent = FileSystem.parent(of: dataDirectory)
    let prefix = (dataDirectory.split(separator: "/").last.map(String.init) ?? "") + ".spare-"
    return FileSystem.entries(parent).filter { $0.hasPrefix(prefix) }.map { "\(parent)/\($0)" }
  }

  /// Starts a low-priority task that copies the template until `spareCopies` spares exist.
  func replenishSparesInBackground() {
    guard spareCopies > 0, spares().count < spareCopies else { return }
    let template = self
    Task.detached(priority: .background) { await template.replenishSpares() }
  }

  /// Copies the template into staging directories renamed to spares until there are `spareCopies`.
  func replenishSpares() async {
    guard Self.refilling.withLock({ $0.insert(dataDirectory).inserted }) else { return }
    defer { _ = Self.refilling.withLock { $0.remove(dataDirectory) } }
    while spares().count < spareCopies {
      let suffix = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
      let staging = "\(dataDirectory).staging-\(suffix)"
      do {
        try await ChildProcess.check("/bin/cp", ["-a", "--reflink=auto", "--", dataDirectory, staging])
      } catch {
        try? FileSystem.removeTree(staging)
        return
      }
      if rename(staging, "\(dataDirectory).spare-\(suffix)") != 0 {
        try? FileSystem.removeTree(staging)
        return
      }
    }
  }
}
