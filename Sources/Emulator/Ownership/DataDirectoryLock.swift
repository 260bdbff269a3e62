import FileIO

#if canImport(Glibc)
  import Glibc
#endif

/// The one owner of a data directory: the lock of `DATA/owner.lock` (see `LockFile`), held for as long as
/// an emulator serves from it, `kill -9` or not. The file holds the owner's pid, for messages.
final class DataDirectoryLock: Sendable {
  private let descriptor: Int32

  private init(descriptor: Int32) {
    self.descriptor = descriptor
  }

  static func path(_ dataDirectory: String) -> String { dataDirectory + "/owner.lock" }

  /// Takes ownership of `dataDirectory`, or throws naming the process that has it. Waits up to 2 s when
  /// the recorded owner is this process: a lock this process gave up can live on for a moment in a child
  /// forked by another thread that has not yet reached `exec` (the descriptor is close-on-exec, but a
  /// fork copies it first). Another process's lock is not waited for.
  static func acquire(_ dataDirectory: String) throws -> DataDirectoryLock {
    var attempts = 0
    while true {
      if let descriptor = try LockFile.takeExclusive(path(dataDirectory)) {
        let text = "\(getpid())\n"
        _ = ftruncate(descriptor, 0)
        _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        return DataDirectoryLock(descriptor: descriptor)
      }
      let owner = recordedOwner(dataDirectory)
      attempts += 1
      guard owner == getpid(), attempts < 100 else {
        throw EmulatorError(
          "the data directory \(dataDirectory) is in use by another emulator\(owner.map { " (mpg, pid \($0))" } ?? "")",
          ownerProcessID: owner ?? 0)
      }
      usleep(20_000)
    }
  }

  /// Gives ownership up (closing the file releases the lock).
  func release() {
    close(descriptor)
  }

  /// The pid of the process that owns `dataDirectory` now, or nil when no process does.
  static func liveOwner(_ dataDirectory: String) -> Int32? {
    LockFile.isHeld(path(dataDirectory)) ? recordedOwner(dataDirectory) ?? 0 : nil
  }

  /// The pid written in the lock file (the current or the last owner).
  static func recordedOwner(_ dataDirectory: String) -> Int32? {
    guard let text = try? FileText.read(path(dataDirectory)) else { return nil }
    return Int32(text.split(separator: "\n").first ?? "")
  }
}
