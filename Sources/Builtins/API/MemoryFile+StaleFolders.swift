import FileIO

#if canImport(Glibc)
  import Glibc
#endif

extension MemoryFile {
  /// Removes, once per process, the private folders (`$TMPDIR/mpg-psql-*`, this user's) in which earlier
  /// versions of mpg left a passfile when they were killed during `connect` or `sql`.
  static func removeStaleFolders() {
    _ = staleFoldersRemoved
  }

  private static let staleFoldersRemoved: Bool = {
    let base = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    guard let directory = opendir(base) else { return true }
    defer { closedir(directory) }
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
      guard name.hasPrefix("mpg-psql-") else { continue }
      let folder = base + "/" + name
      var status = stat()
      guard lstat(folder, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR, status.st_uid == geteuid() else { continue }
      for file in ["pgpass", "ca.pem"] { unlink(folder + "/" + file) }
      rmdir(folder)
    }
    return true
  }()
}
