import Glibc

/// The few file operations the target needs, on Glibc directly (no Foundation here).
enum FileSystem {
  /// Owner, group and mode of a file, or nil when it does not exist.
  struct Status {
    let userID: uid_t
    let groupID: gid_t
    let mode: mode_t
    var isDirectory: Bool { mode & S_IFMT == S_IFDIR }
  }

  static func status(_ path: String) -> Status? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return Status(userID: info.st_uid, groupID: info.st_gid, mode: info.st_mode)
  }

  static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

  static func isDirectory(_ path: String) -> Bool { status(path)?.isDirectory ?? false }

  static func isExecutableFile(_ path: String) -> Bool {
    guard let info = status(path), !info.isDirectory else { return false }
    return access(path, X_OK) == 0
  }

  /// The canonical absolute path (symbolic links resolved), or nil when it does not exist.
  static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// The target of a symbolic link (also the `/proc/PID/cwd` kind), or nil.
  static func linkTarget(_ path: String) -> String? {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let count = readlink(path, &buffer, buffer.count - 1)
    guard count >= 0 else { return nil }
    return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// Entry names of a directory, without `.` and `..`; empty when it cannot be read.
  static func entries(_ path: String) -> [String] {
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

  static func readFile(_ path: String) throws(ClusterError) -> String {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .fileSystem(operation: "open", path: path, errno: errno) }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 16 * 1024)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        throw .fileSystem(operation: "read", path: path, errno: errno)
      }
      if count == 0 { break }
      bytes.append(contentsOf: chunk[0..<count])
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The last `lineCount` lines of a text file (from at most its last 16 KiB); empty when unreadable.
  static func tail(_ path: String, lineCount: Int = 20) -> String {
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

  /// Writes `contents` through a temporary file renamed into place, with `mode`, owned by `owner` when given.
  static func writeFile(_ path: String, _ contents: String, mode: mode_t, owner: ClusterUser? = nil) throws(ClusterError) {
    let temporary = "\(path).tmp-\(getpid())"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
    guard descriptor >= 0 else { throw .fileSystem(operation: "create", path: temporary, errno: errno) }
    var failure: ClusterError?
    var bytes = Array(contents.utf8)
    var offset = 0
    while offset < bytes.count {
      let count = bytes.withUnsafeMutableBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
      if count < 0 {
        if errno == EINTR { continue }
        failure = .fileSystem(operation: "write", path: temporary, errno: errno)
        break
      }
      offset += count
    }
    if failure == nil, fchmod(descriptor, mode) != 0 {
      failure = .fileSystem(operation: "chmod", path: temporary, errno: errno)
    }
    if failure == nil, let owner, !owner.isCurrentUser, fchown(descriptor, owner.userID, owner.groupID) != 0 {
      failure = .fileSystem(operation: "chown", path: temporary, errno: errno)
    }
    close(descriptor)
    bytes.removeAll()
    if failure == nil, rename(temporary, path) != 0 {
      failure = .fileSystem(operation: "rename", path: path, errno: errno)
    }
    if let failure {
      unlink(temporary)
      throw failure
    }
  }

  /// Creates `path` and any missing parents. Parents get 0755 and the current owner; `path` itself gets
  /// `mode` and `owner` (also when it already existed).
  static func makeDirectory(_ path: String, mode: mode_t, owner: ClusterUser? = nil) throws(ClusterError) {
    var prefix = ""
    let components = path.split(separator: "/", omittingEmptySubsequences: true)
    for (index, component) in components.enumerated() {
      prefix += "/" + component
      let isLast = index == components.count - 1
      if mkdir(prefix, isLast ? mode : 0o755) != 0, errno != EEXIST {
        throw .fileSystem(operation: "mkdir", path: prefix, errno: errno)
      }
    }
    if chmod(path, mode) != 0 { throw .fileSystem(operation: "chmod", path: path, errno: errno) }
    if let owner, !owner.isCurrentUser, chown(path, owner.userID, owner.groupID) != 0 {
      throw .fileSystem(operation: "chown", path: path, errno: errno)
    }
  }

  /// Deletes a file or a whole directory tree without following symbolic links. Missing is fine.
  static func removeTree(_ path: String) throws(ClusterError) {
    var info = stat()
    guard lstat(path, &info) == 0 else {
      if errno == ENOENT { return }
      throw .fileSystem(operation: "stat", path: path, errno: errno)
    }
    if info.st_mode & S_IFMT == S_IFDIR {
      for entry in entries(path) { try removeTree("\(path)/\(entry)") }
      if rmdir(path) != 0 && errno != ENOENT { throw .fileSystem(operation: "rmdir", path: path, errno: errno) }
    } else if unlink(path) != 0 && errno != ENOENT {
      throw .fileSystem(operation: "unlink", path: path, errno: errno)
    }
  }

  /// The parent directory of an absolute path ("/" for top-level entries).
  static func parent(of path: String) -> String {
    let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    guard let slash = trimmed.lastIndex(of: "/") else { return "." }
    return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
  }

  /// An absolute version of `path`: relative paths are taken from the current directory; `.`/`..` kept.
  static func absolute(_ path: String) -> String {
    if path.hasPrefix("/") { return path }
    guard let directory = getcwd(nil, 0) else { return path }
    defer { free(directory) }
    let base = String(cString: directory)
    return path == "." ? base : (base == "/" ? "/" : base + "/") + path
  }
}
