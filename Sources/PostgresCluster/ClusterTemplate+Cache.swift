import FileIO
import Glibc
import Logging
import Synchronization

/// Templates kept across data directories. A template depends only on its installation, its settings
/// and the user owning it, so every data directory of a machine (as root: every user's twin, every dry
/// run's throwaway twin, every test's) can start from one copy instead of running `initdb` and a prewarm
/// again (about 2 s of a fresh twin's first create). Root keeps them in /var/lib/mpg/templates; other
/// users in `$XDG_CACHE_HOME/mpg/templates`. Entries are built in a staging directory and renamed into
/// place, and only the `cachedTemplateLimit` most recently used are kept.
extension ClusterTemplate {
  /// How many cached templates are kept (each is ~25 MB).
  static let cachedTemplateLimit = 6

  /// Copies nobody waits for run at the lowest CPU priority: on a busy file system a copy of ~1000
  /// files costs a core for a second, which a twin's first create should not share.
  static let backgroundCopy = "/usr/bin/nice"
  static let backgroundCopyArguments = ["-n", "19", "/bin/cp", "-a", "--reflink=auto", "--"]

  /// The cache's directory for `user`.
  static func cacheDirectory(for user: ClusterUser) -> String {
    if geteuid() == 0 { return ClusterUser.fallbackBaseDirectory + "/templates" }
    if let cache = getenvString("XDG_CACHE_HOME"), cache.hasPrefix("/") { return cache + "/mpg/templates" }
    return (getenvString("HOME") ?? "/tmp") + "/.cache/mpg/templates"
  }

  /// The cached copy of a template named `name` (`pgMAJOR-HASH`) owned by `user`.
  static func cachedCopy(of name: String, user: ClusterUser) -> String {
    "\(cacheDirectory(for: user))/\(user.name)-\(name)"
  }

  /// Templates whose copy into the cache waits for their first cluster's copy (`copyDataDirectory`),
  /// so that the two do not compete on a fresh twin's first create.
  static let pendingCacheStores = Mutex<[String: String]>([:])

  /// Moves the cached template to `staging` (the same file system: a rename; it is copied back after the
  /// first cluster is made), or copies it; returns whether there was one.
  static func seed(_ staging: String, from cached: String) async -> Bool {
    guard FileSystem.isDirectory(cached) else { return false }
    if rename(cached, staging) == 0 { return true }
    do {
      try await ChildProcess.check("/bin/cp", ["-a", "--reflink=auto", "--", cached, staging])
      // Recently used: the pruning keeps it.
      utimes(cached, nil)
      return true
    } catch {
      try? ClusterFiles.removeTree(staging)
      return false
    }
  }

  /// Marks this new template to be copied into the cache once its first cluster has its own copy.
  func storeInCacheAfterFirstCopy(as cached: String) {
    Self.pendingCacheStores.withLock { $0[dataDirectory] = cached }
  }

  /// Starts the copy into the cache that `storeInCacheAfterFirstCopy` put off, if any.
  func startPendingCacheStore(logger: Logger) {
    guard let cached = Self.pendingCacheStores.withLock({ $0.removeValue(forKey: dataDirectory) }) else { return }
    storeInCacheInBackground(as: cached, logger: logger)
  }

  /// Copies this new template into the cache in the background, then prunes; `finishRefilling` waits
  /// for it, so a twin that stops soon after its first create still leaves the copy behind.
  func storeInCacheInBackground(as cached: String, logger: Logger) {
    let template = dataDirectory
    let key = template + "#cache"
    Self.refills.withLock { refills in
      guard refills[key] == nil else { return }
      refills[key] = Task.detached(priority: .background) {
        await Self.store(template, as: cached, logger: logger)
        _ = Self.refills.withLock { $0.removeValue(forKey: key) }
      }
    }
  }

  /// Makes sure the cache holds the template and one ready copy of it (what a new data directory's first
  /// cluster takes, so that even its first create copies nothing), then prunes.
  private static func store(_ template: String, as cached: String, logger: Logger) async {
    let directory = String(cached[..<(cached.lastIndex(of: "/") ?? cached.endIndex)])
    guard (try? ClusterFiles.makeDirectory(directory, mode: 0o755)) != nil else { return }
    for target in [cached, cached + readySuffix] where !FileSystem.isDirectory(target) {
      let staging = "\(cached).staging-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
      do {
        try await ChildProcess.check(backgroundCopy, backgroundCopyArguments + [template, staging])
        // `cp -a` kept the template's times; the pruning goes by when an entry was last used.
        utimes(staging, nil)
        if rename(staging, target) != 0 { try? ClusterFiles.removeTree(staging) }
      } catch {
        try? ClusterFiles.removeTree(staging)
        logger.debug("could not cache template \(template): \(error)")
        return
      }
    }
    prune(directory)
  }

  /// The name of a template's ready copy in the cache, after the template's.
  static let readySuffix = ".ready"

  /// Moves the cache's ready copy of this template to `destination`, when there is one on the same file
  /// system; returns whether it did. The next `store` makes another.
  func takeReadyCopy(to destination: String) -> Bool {
    let name = String(dataDirectory[dataDirectory.index(after: dataDirectory.lastIndex(of: "/") ?? dataDirectory.startIndex)...])
    let ready = Self.cachedCopy(of: name, user: user) + Self.readySuffix
    guard rename(ready, destination) == 0 else { return false }
    // The cache gives its ready copy once; making the next one is the template's first-copy store.
    Self.pendingCacheStores.withLock { $0[dataDirectory] = $0[dataDirectory] ?? Self.cachedCopy(of: name, user: user) }
    return true
  }

  /// Removes all but the most recently used cached templates, and abandoned staging copies.
  static func prune(_ directory: String) {
    removeAbandonedStagingDirectories(in: directory)
    var entries: [(path: String, used: Int)] = []
    for name in FileSystem.entries(directory) where !name.contains(".staging-") && !name.hasSuffix(readySuffix) {
      var status = stat()
      guard stat("\(directory)/\(name)", &status) == 0 else { continue }
      entries.append(("\(directory)/\(name)", status.st_mtim.tv_sec))
    }
    for entry in entries.sorted(by: { $0.used > $1.used }).dropFirst(cachedTemplateLimit) {
      try? ClusterFiles.removeTree(entry.path)
      try? ClusterFiles.removeTree(entry.path + readySuffix)
    }
  }
}
