// The FileIO target: files and directories on the C library, shared by the interpreter, the clusters
// and the emulator. It imports nothing of mpg.
#if canImport(Glibc)
  import Glibc
#endif

/// Reading and atomically writing whole text files with the C library (no Foundation on the data path).
public enum FileText {
  /// A file operation that failed, with the system's reason.
  public struct Failure: Error, Sendable {
    /// e.g. "cannot read data.json: No such file or directory".
    public var message: String
  }

  /// The whole file as bytes; `-` reads standard input.
  public static func readBytes(_ path: String) throws(Failure) -> [UInt8] {
    do {
      return path == "-" ? try FileSystem.readAll(from: 0, path: path) : try FileSystem.readBytes(path)
    } catch {
      throw Failure(message: "cannot read \(path): \(String(cString: strerror(error.errno)))")
    }
  }

  /// The whole file as UTF-8 text.
  public static func read(_ path: String) throws(Failure) -> String {
    String(decoding: try readBytes(path), as: UTF8.self)
  }

  /// Writes `text` to a temporary file beside `path`, then renames it over `path`, so readers see the
  /// old file or the new one and never half of it.
  ///
  /// A symlink is written through: the file it points to is replaced and the link stays. A file that
  /// exists keeps its mode and, where the process may set it, its owner; a new one gets `mode` (less the
  /// umask). `exactMode` (for files holding secrets: 0600) sets `mode` whatever the old file had.
  public static func writeAtomically(_ text: String, to path: String, mode: mode_t = 0o644, exactMode: Bool = false)
    throws(Failure)
  {
    let target = resolvingSymlinks(path)
    var existing = stat()
    let exists = stat(target, &existing) == 0
    let temporary = target + ".tmp-\(getpid())"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
    guard descriptor >= 0 else { throw Failure(message: "cannot write \(path): \(systemError())") }
    if exactMode {
      fchmod(descriptor, mode)
    } else if exists {
      fchmod(descriptor, existing.st_mode & 0o7777)
      // Only root (or the owner already) may give the file back to its owner; otherwise it is ours.
      if existing.st_uid != geteuid() || existing.st_gid != getegid() { _ = fchown(descriptor, existing.st_uid, existing.st_gid) }
    }
    var ok = true
    var text = text
    text.withUTF8 { buffer in
      var offset = 0
      while offset < buffer.count {
        let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          ok = false
          return
        }
        offset += written
      }
    }
    let reason = systemError()
    if ok, fsync(descriptor) != 0 { ok = false }
    close(descriptor)
    guard ok, rename(temporary, target) == 0 else {
      let message = ok ? systemError() : reason
      unlink(temporary)
      throw Failure(message: "cannot write \(path): \(message)")
    }
  }

  /// The file `path` finally names after following symlinks (even a dangling last one, whose target
  /// the write creates); `path` itself when it is no symlink. Gives up after 40 links, as the kernel does.
  static func resolvingSymlinks(_ path: String) -> String {
    var current = path
    for _ in 0..<40 {
      var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
      let length = readlink(current, &buffer, buffer.count - 1)
      guard length > 0 else { return current }
      let link = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
      if link.hasPrefix("/") {
        current = link
      } else if let slash = current.lastIndex(of: "/") {
        current = String(current[...slash]) + link
      } else {
        current = link
      }
    }
    return current
  }

  private static func systemError() -> String {
    String(cString: strerror(errno))
  }
}
