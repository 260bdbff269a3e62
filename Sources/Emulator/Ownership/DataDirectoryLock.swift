import FileIO

#if canImport(Glibc)
  import Glibc
#endif

/// The one owner of a data directory: an exclusive `flock(2)` on `DATA/owner.lock`, held for as long as
/// an emulator serves from it. The kernel releases it however the owner ends (`kill -9` included), so a
/// lock that can be taken is an owner that is gone. The file holds the owner's pid, for messages.
final class DataDirectoryLock: Sendable {
  private let descriptor: Int32

  private init(descriptor: Int32) {
    self.descriptor = descriptor
  }

  static func path(_ dataDirectory: String) -> String { dataDirectory + "/owner.lock" }

  /// Takes ownership of `dataDirectory`, or throws naming the process that has it.
  static func acquire(_ dataDirectory: String) throws -> DataDirectoryLock {
    let descriptor = open(path(dataDirectory), O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      throw EmulatorError("cannot open \(path(dataDirectory)): \(String(cString: strerror(errno)))")
    }
    guard takeExclusively(descriptor, dataDirectory) else {
      close(descriptor)
      let owner = recordedOwner(dataDirectory)
      throw EmulatorError(
        "the data directory \(dataDirectory) is in use by another emulator\(owner.map { " (mpg, pid \($0))" } ?? "")",
        ownerProcessID: owner ?? 0)
    }
    let text = "\(getpid())\n"
    _ = ftruncate(descriptor, 0)
    _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    return DataDirectoryLock(descriptor: descriptor)
  }

  /// Takes the lock, waiting up to 2 s when the recorded owner is this process: a lock this process gave
  /// up can live on for a moment in a child forked by another thread that has not yet reached `exec`
  /// (the descriptor is close-on-exec, but a fork copies it first). Another process's lock is not waited for.
  private static func takeExclusively(_ descriptor: Int32, _ dataDirectory: String) -> Bool {
    for _ in 0..<100 {
      if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return true }
      guard recordedOwner(dataDirectory) == getpid() else { return false }
      usleep(20_000)
    }
    return false
  }

  /// Gives ownership up (closing the file releases the lock).
  func release() {
    close(descriptor)
  }

  /// The pid of the process that owns `dataDirectory` now, or nil when no process does.
  static func liveOwner(_ dataDirectory: String) -> Int32? {
    let descriptor = open(path(dataDirectory), O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    // A shared lock conflicts with the owner's exclusive one (each open is its own lock, even in the
    // owner's own process).
    if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
      flock(descriptor, LOCK_UN)
      return nil
    }
    return recordedOwner(dataDirectory) ?? 0
  }

  /// The pid written in the lock file (the current or the last owner).
  static func recordedOwner(_ dataDirectory: String) -> Int32? {
    guard let text = try? FileText.read(path(dataDirectory)) else { return nil }
    return Int32(text.split(separator: "\n").first ?? "")
  }
}
