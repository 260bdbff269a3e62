#if canImport(Glibc)
  import Glibc
#endif

/// Files whose `flock(2)` says a process is alive: the owner of a data directory, the sessions attached
/// to it. The kernel releases such a lock however its process ends, so a lock that can be taken is a
/// holder that is gone. Each `open` is a lock of its own, even within one process.
enum LockFile {
  /// Opens (creating, 0600) `path` and takes its exclusive lock without waiting; returns the descriptor
  /// that holds it (closing it releases the lock), or nil when another holder has it.
  static func takeExclusive(_ path: String) throws -> Int32? {
    let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { throw EmulatorError("cannot open \(path): \(String(cString: strerror(errno)))") }
    guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
      close(descriptor)
      return nil
    }
    return descriptor
  }

  /// Whether a live process holds `path`'s exclusive lock (false when the file does not exist).
  static func isHeld(_ path: String) -> Bool {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    guard flock(descriptor, LOCK_SH | LOCK_NB) == 0 else { return true }
    flock(descriptor, LOCK_UN)
    return false
  }
}
