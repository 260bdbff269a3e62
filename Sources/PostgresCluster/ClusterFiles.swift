import FileIO
import Glibc

/// `FileSystem`'s reads and writes with their failures as `ClusterError`, which this target's
/// functions throw, and owners as `ClusterUser`s.
enum ClusterFiles {
  static func readFile(_ path: String) throws(ClusterError) -> String {
    try clusterErrors { () throws(FileSystem.Failure) in try FileSystem.readFile(path) }
  }

  /// Writes `contents` through a temporary file renamed into place, with `mode`, owned by `owner` when given.
  static func writeFile(_ path: String, _ contents: String, mode: mode_t, owner: ClusterUser? = nil) throws(ClusterError) {
    try clusterErrors { () throws(FileSystem.Failure) in
      try FileSystem.writeFile(path, contents, mode: mode, owner: owner?.asOwner)
    }
  }

  /// Creates `path` and any missing parents (see `FileSystem.makeDirectory`).
  static func makeDirectory(_ path: String, mode: mode_t, owner: ClusterUser? = nil) throws(ClusterError) {
    try clusterErrors { () throws(FileSystem.Failure) in try FileSystem.makeDirectory(path, mode: mode, owner: owner?.asOwner) }
  }

  /// Deletes a file or a whole directory tree without following symbolic links. Missing is fine.
  static func removeTree(_ path: String) throws(ClusterError) {
    try clusterErrors { () throws(FileSystem.Failure) in try FileSystem.removeTree(path) }
  }

  private static func clusterErrors<Value>(_ operation: () throws(FileSystem.Failure) -> Value) throws(ClusterError) -> Value {
    do {
      return try operation()
    } catch {
      throw .fileSystem(operation: error.operation, path: error.path, errno: error.errno)
    }
  }
}

extension ClusterUser {
  /// The owner to give what is made for this user: nil when it is this process's own user.
  fileprivate var asOwner: FileSystem.Owner? { isCurrentUser ? nil : (userID, groupID) }
}
