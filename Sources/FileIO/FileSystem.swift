#if canImport(Glibc)
  import Glibc
#endif

/// Files and directories on the C library (no Foundation): what the clusters, the emulator and its
/// collector of leftovers do to the file system, in one place.
public enum FileSystem {
  /// A system call on a file or directory that failed.
  public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The call, e.g. `mkdir`.
    public let operation: String
    public let path: String
    public let errno: Int32

    /// e.g. "mkdir /var/lib/mpg: Permission denied".
    public var description: String { "\(operation) \(path): \(String(cString: strerror(errno)))" }
  }

  /// Who should own a file or directory made: a user and group other than the process's.
  public typealias Owner = (userID: uid_t, groupID: gid_t)

  /// Owner, group and mode of a file, or nil when it does not exist.
  public struct Status: Sendable {
    public let userID: uid_t
    public let groupID: gid_t
    public let mode: mode_t
    public var isDirectory: Bool { mode & S_IFMT == S_IFDIR }
  }

  public static func status(_ path: String) -> Status? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return Status(userID: info.st_uid, groupID: info.st_gid, mode: info.st_mode)
  }

  public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

  public static func isDirectory(_ path: String) -> Bool { status(path)?.isDirectory ?? false }

  public static func isExecutableFile(_ path: String) -> Bool {
    guard let info = status(path), !info.isDirectory else { return false }
    return access(path, X_OK) == 0
  }

  /// The canonical absolute path (symbolic links resolved), or nil when it does not exist.
  public static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// The target of a symbolic link (also the `/proc/PID/cwd` kind), or nil.
  public static func linkTarget(_ path: String) -> String? {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let count = readlink(path, &buffer, buffer.count - 1)
    guard count >= 0 else { return nil }
    return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// Entry names of a directory, without `.` and `..`; empty when it cannot be read.
  public static func entries(_ path: String) -> [String] {
    guard let directory = opendir(path) else { return [] }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
      let name = withUnsafePointer(to: entry.pointee.d_name) {
        $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
  }

  /// The whole file as UTF-8 text.
  public static func readFile(_ path: String) throws(Failure) -> String {
    String(decoding: try readBytes(path), as: UTF8.self)
  }

  /// The whole file as bytes.
  public static func readBytes(_ path: String) throws(Failure) -> [UInt8] {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw Failure(operation: "open", path: path, errno: errno) }
    defer { close(descriptor) }
    return try readAll(from: descriptor, path: path)
  }

  /// Everything left to read from `descriptor` (`path` names it in a failure).
  static func readAll(from descriptor: Int32, path: String) throws(Failure) -> [UInt8] {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        throw Failure(operation: "read", path: path, errno: errno)
      }
      if count == 0 { return bytes }
      bytes.append(contentsOf: chunk[0..<count])
    }
  }

  /// The last `lineCount` lines of a text file (from at most its last 16 KiB); empty when unreadable.
  public static func tail(_ path: String, lineCount: Int = 20) -> String {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return "" }
    defer { close(descriptor) }
    let size = lseek(descriptor, 0, SEEK_END)
    let start = max(0, size - 16 * 1024)
    var bytes = [UInt8](repeating: 0, count: Int(size - start))
    let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, start) }
    guard count > 0 else { return "" }
    let lines = String(decoding: bytes[0..<count], as: UTF8.self).split(separator: "\n")
    return lines.suffix(lineCount).joined(separator: "\n")
  }

  /// Writes `contents` through a temporary file renamed into place, with exactly `mode`, owned by `owner`
  /// when given: for files mpg makes for itself and its clusters. (`FileText.writeAtomically` writes a
  /// user's files: it keeps their mode and owner, writes through symbolic links and syncs.)
  public static func writeFile(_ path: String, _ contents: String, mode: mode_t, owner: Owner? = nil) throws(Failure) {
    let temporary = "\(path).tmp-\(getpid())"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
    guard descriptor >= 0 else { throw Failure(operation: "create", path: temporary, errno: errno) }
    var failure: Failure?
    var bytes = Array(contents.utf8)
    var offset = 0
    while offset < bytes.count {
      let count = bytes.withUnsafeMutableBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
      if count < 0 {
        if errno == EINTR { continue }
        failure = Failure(operation: "write", path: temporary, errno: errno)
        break
      }
      offset += count
    }
    if failure == nil, fchmod(descriptor, mode) != 0 {
      failure = Failure(operation: "chmod", path: temporary, errno: errno)
    }
    if failure == nil, let owner, fchown(descriptor, owner.userID, owner.groupID) != 0 {
      failure = Failure(operation: "chown", path: temporary, errno: errno)
    }
    close(descriptor)
    bytes.removeAll()
    if failure == nil, rename(temporary, path) != 0 {
      failure = Failure(operation: "rename", path: path, errno: errno)
    }
    if let failure {
      unlink(temporary)
      throw failure
    }
  }

  /// Creates `path` and any missing parents. Parents get 0755 and the current owner; `path` itself gets
  /// `mode` and `owner` (also when it already existed).
  public static func makeDirectory(_ path: String, mode: mode_t, owner: Owner? = nil) throws(Failure) {
    var prefix = ""
    let components = path.split(separator: "/", omittingEmptySubsequences: true)
    for (index, component) in components.enumerated() {
      prefix += "/" + component
      let isLast = index == components.count - 1
      if mkdir(prefix, isLast ? mode : 0o755) != 0, errno != EEXIST {
        throw Failure(operation: "mkdir", path: prefix, errno: errno)
      }
    }
    if chmod(path, mode) != 0 { throw Failure(operation: "chmod", path: path, errno: errno) }
    if let owner, chown(path, owner.userID, owner.groupID) != 0 {
      throw Failure(operation: "chown", path: path, errno: errno)
    }
  }

  /// Deletes a file or a whole directory tree without following symbolic links. Missing is fine.
  public static func removeTree(_ path: String) throws(Failure) {
    var info = stat()
    guard lstat(path, &info) == 0 else {
      if errno == ENOENT { return }
      throw Failure(operation: "stat", path: path, errno: errno)
    }
    if info.st_mode & S_IFMT == S_IFDIR {
      for entry in entries(path) { try removeTree("\(path)/\(entry)") }
      if rmdir(path) != 0 && errno != ENOENT { throw Failure(operation: "rmdir", path: path, errno: errno) }
    } else if unlink(path) != 0 && errno != ENOENT {
      throw Failure(operation: "unlink", path: path, errno: errno)
    }
  }

  /// The bytes of the regular files under `path` (or of `path` itself), symbolic links not followed:
  /// what removing it frees, hard links aside.
  public static func regularFileBytes(under path: String) -> Int64 {
    var info = stat()
    guard lstat(path, &info) == 0 else { return 0 }
    switch info.st_mode & S_IFMT {
    case S_IFREG: return Int64(info.st_size)
    case S_IFDIR: return entries(path).reduce(0) { $0 + regularFileBytes(under: path + "/" + $1) }
    default: return 0
    }
  }

  /// The parent directory of an absolute path ("/" for top-level entries).
  public static func parent(of path: String) -> String {
    let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    guard let slash = trimmed.lastIndex(of: "/") else { return "." }
    return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
  }

  /// An absolute version of `path`: relative paths are taken from the current directory; `.`/`..` kept.
  public static func absolute(_ path: String) -> String {
    if path.hasPrefix("/") { return path }
    guard let directory = getcwd(nil, 0) else { return path }
    defer { free(directory) }
    let base = String(cString: directory)
    return path == "." ? base : (base == "/" ? "/" : base + "/") + path
  }
}
