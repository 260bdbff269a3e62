import FileIO
import Glibc
import Logging
import Synchronization

/// The ready-made copies of a template that let `Cluster.create` rename instead of copy.
extension ClusterTemplate {
  /// The refill running for each template (by data directory), so only one runs per template and
  /// `finishRefilling()` can wait for it.
  static let refills = Mutex<[String: Task<Void, Never>]>([:])

  /// Puts a copy of the template's data directory at `destination` (which must not exist): a spare
  /// renamed into place when one is left and on the same file system, otherwise a fresh `cp -a`. Then
  /// refills the spares in the background.
  func copyDataDirectory(to destination: String) async throws(ClusterError) {
    defer {
      replenishSparesInBackground()
      startPendingCacheStore(logger: Logger(label: "mpg.postgres"))
    }
    for spare in spares() {
      if rename(spare, destination) == 0 { return }
      // ENOENT: another process took this one first. EXDEV: another file system; copy instead.
      if errno != ENOENT { break }
    }
    // A new data directory has no spares yet: the shared cache's ready copy spares its first create a copy.
    if takeReadyCopy(to: destination) { return }
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
    let key = dataDirectory
    Self.refills.withLock { refills in
      guard refills[key] == nil else { return }
      // The task removes itself under the same lock, so it cannot finish before it is recorded.
      refills[key] = Task.detached(priority: .background) {
        await template.replenishSpares()
        _ = Self.refills.withLock { $0.removeValue(forKey: key) }
      }
    }
  }

  /// Stops refilling this template's spares and waits until no copy is under way, so its directory can
  /// be deleted without a `cp` writing into it (emulator shutdown and `reset`).
  public func finishRefilling() async {
    // A copy into the shared cache is short and worth keeping: it is made now if it was put off, and
    // waited for, not cancelled.
    startPendingCacheStore(logger: Logger(label: "mpg.postgres"))
    if let store = Self.refills.withLock({ $0[dataDirectory + "#cache"] }) { await store.value }
    guard let refill = Self.refills.withLock({ $0[dataDirectory] }) else { return }
    refill.cancel()
    await refill.value
  }

  /// Copies the template into staging directories renamed to spares until there are `spareCopies`.
  private func replenishSpares() async {
    while !Task.isCancelled, spares().count < spareCopies {
      let suffix = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
      let staging = "\(dataDirectory).staging-\(suffix)"
      do {
        try await ChildProcess.check(Self.backgroundCopy, Self.backgroundCopyArguments + [dataDirectory, staging])
      } catch {
        try? ClusterFiles.removeTree(staging)
        return
      }
      if rename(staging, "\(dataDirectory).spare-\(suffix)") != 0 {
        try? ClusterFiles.removeTree(staging)
        return
      }
    }
  }
}
