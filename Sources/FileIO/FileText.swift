// The FileIO target: whole-file reads and atomic writes on the C library, shared by the interpreter
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
    let file = path == "-" ? fdopen(dup(0), "rb") : fopen(path, "rb")
    guard let file else { throw Failure(message: "cannot read \(path): \(systemError())") }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
      bytes += chunk[0..<count]
      if count < chunk.count {
        if ferror(file) != 0 { throw Failure(message: "cannot read \(path): \(systemError())") }
        return bytes
      }
    }
  }

  /// The whole file as UTF-8 text.
  public static func read(_ path: String) throws(Failure) -> String {
    String(decoding: try readBytes(path), as: UTF8.self)
  }

  /// Writes `text` to a temporary file beside `path`, then renames it over `path`, so readers see the
  /// old file or the new one and never half of it. `mode` sets the permissions (0600 for secrets).
  public static func writeAtomically(_ text: String, to path: String, mode: mode_t = 0o644) throws(Failure) {
    let temporary = path + ".tmp-\(getpid())"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, mode)
    guard descriptor >= 0 else { throw Failure(message: "cannot write \(path): \(systemError())") }
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
    guard ok, rename(temporary, path) == 0 else {
      let message = ok ? systemError() : reason
      unlink(temporary)
      throw Failure(message: "cannot write \(path): \(message)")
    }
  }

  private static func systemError() -> String {
    String(cString: strerror(errno))
  }
}
