import FileIO
import FoundationEssentials

#if canImport(Glibc)
  import Glibc
#endif

/// The mpg sessions that use an emulator they did not start (`mpg --local` beside a running twin).
/// Each holds the lock of `DATA/sessions/PID.lock` (see `LockFile`) while it lives, however it ends.
/// The twin's owner waits for them before it stops, so that no session ever stops the clusters another
/// one is using.
public enum AttachedSessions {
  /// One session's membership; `leave()` (or the end of the process) ends it.
  public final class Membership: Sendable {
    private let descriptor: Int32
    private let path: String

    fileprivate init(descriptor: Int32, path: String) {
      self.descriptor = descriptor
      self.path = path
    }

    /// Ends the membership and removes its file.
    public func leave() {
      unlink(path)
      close(descriptor)
    }
  }

  static func directory(_ dataDirectory: String) -> String { dataDirectory + "/sessions" }

  /// Registers this process as a session of the twin serving from `dataDirectory`.
  public static func join(_ dataDirectory: String) throws -> Membership {
    try Directories.create(directory(dataDirectory))
    let path = directory(dataDirectory) + "/\(getpid()).lock"
    guard let descriptor = try LockFile.takeExclusive(path) else {
      throw EmulatorError("cannot register with the emulator in \(dataDirectory): \(path) is held by another process")
    }
    return Membership(descriptor: descriptor, path: path)
  }

  /// The pids of the sessions alive now; files of sessions that ended without leaving are removed.
  public static func live(_ dataDirectory: String) -> [Int32] {
    let folder = directory(dataDirectory)
    var alive: [Int32] = []
    for name in FileSystem.entries(folder) where name.hasSuffix(".lock") {
      guard let pid = Int32(name.dropLast(5)) else { continue }
      let path = folder + "/" + name
      if LockFile.isHeld(path) { alive.append(pid) } else { unlink(path) }
    }
    return alive.sorted()
  }
}
