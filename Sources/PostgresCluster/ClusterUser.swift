import FileIO
import Glibc
import Logging

/// The account PostgreSQL clusters run as.
///
/// `initdb` and `postgres` refuse to run as root. When this process is root (as in CI), every cluster
/// program runs as an unprivileged system user, `mpg-postgres`, created on first use with
/// `useradd --system` (Debian's `postgres` user is the fallback when that fails). Otherwise children run
/// as the current user.
///
/// That user must be able to reach the data and socket directories: a directory under `/root` (mode 0700)
/// is not. `reachableDirectory(for:)` keeps a requested directory when the user can reach it and otherwise
/// maps it to `/var/lib/mpg/NAME-HASH`, the same place every time for the same requested path.
public struct ClusterUser: Sendable, Hashable {
  /// The login name.
  public let name: String
  /// The numeric user id children run with.
  public let userID: uid_t
  /// The numeric primary group id children run with.
  public let groupID: gid_t
  /// True when children simply run as this process's own user (this process is not root).
  public let isCurrentUser: Bool

  /// The system user created for clusters when this process is root.
  public static let systemUserName = "mpg-postgres"
  /// Where directories the cluster user cannot reach are placed instead.
  public static let fallbackBaseDirectory = "/var/lib/mpg"

  /// Creates a user description from known ids, for tests and for callers that manage users themselves.
  public init(name: String, userID: uid_t, groupID: gid_t, isCurrentUser: Bool) {
    self.name = name
    self.userID = userID
    self.groupID = groupID
    self.isCurrentUser = isCurrentUser
  }

  /// The user clusters of this process run as: the current user, or under root the system user
  /// (created when missing).
  public static func forThisProcess(
    systemUserName: String = ClusterUser.systemUserName, logger: Logger = Logger(label: "mpg.postgres")
  ) async throws(ClusterError) -> ClusterUser {
    let effectiveUserID = geteuid()
    if effectiveUserID != 0 {
      let name = lookUp(userID: effectiveUserID) ?? "uid \(effectiveUserID)"
      return ClusterUser(name: name, userID: effectiveUserID, groupID: getegid(), isCurrentUser: true)
    }
    if let user = lookUp(name: systemUserName) { return user }
    let outcome = try? await ChildProcess.run(
      "/usr/sbin/useradd",
      [
        "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin",
        "--comment", "mpg PostgreSQL clusters", systemUserName,
      ])
    // Another process may have created the user at the same moment: look again either way.
    if let user = lookUp(name: systemUserName) {
      logger.info("created system user \(systemUserName) (uid \(user.userID)) to run PostgreSQL clusters")
      return user
    }
    if let user = lookUp(name: "postgres") {
      logger.warning("could not create user \(systemUserName); running PostgreSQL clusters as postgres")
      return user
    }
    throw .noClusterUser(detail: outcome.map { ChildProcess.trimmed($0.standardError) } ?? "useradd could not run")
  }

  /// Whether this user can reach `path`: every existing directory on the way is searchable by it.
  /// Directories that do not exist yet are created world-searchable (0755) when needed, so they count as
  /// reachable.
  public func canReach(_ path: String) -> Bool {
    if isCurrentUser || userID == 0 { return true }
    var prefix = ""
    for component in [""] + FileSystem.absolute(path).split(separator: "/").map(String.init) {
      prefix = component.isEmpty ? "/" : (prefix == "/" ? "/" : prefix + "/") + component
      guard let status = FileSystem.status(prefix) else { return true }
      guard status.isDirectory else { return false }
      if !canSearch(status) { return false }
    }
    return true
  }

  /// `requested` when this user can reach it, otherwise a stable directory under
  /// `fallbackBaseDirectory` named after it. Nothing is created.
  public func reachableDirectory(for requested: String) -> String {
    let absolute = FileSystem.absolute(requested)
    if canReach(absolute) { return absolute }
    let name = absolute.split(separator: "/").last.map(String.init) ?? "root"
    let safeName = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    return "\(Self.fallbackBaseDirectory)/\(safeName)-\(StableHash.hex(absolute))"
  }

  /// Creates the directory `reachableDirectory(for:)` names, and any missing parents, world-searchable
  /// (0755, owned by this process's user), and returns its path. Make cluster roots with this: a
  /// directory made 0700 by root on the way (`/var/lib/mpg` included) would lock the cluster user out.
  public func prepareDirectory(for requested: String) throws(ClusterError) -> String {
    let directory = reachableDirectory(for: requested)
    if directory.hasPrefix(Self.fallbackBaseDirectory + "/") {
      try ClusterFiles.makeDirectory(Self.fallbackBaseDirectory, mode: 0o755)
    }
    try ClusterFiles.makeDirectory(directory, mode: 0o755)
    guard canReach(directory) else { throw .unreachableDirectory(path: directory, user: name) }
    return directory
  }

  private func canSearch(_ status: FileSystem.Status) -> Bool {
    if status.userID == userID { return status.mode & S_IXUSR != 0 }
    if status.groupID == groupID { return status.mode & S_IXGRP != 0 }
    return status.mode & S_IXOTH != 0
  }

  static func lookUp(name: String) -> ClusterUser? {
    lookUpEntry { entry, buffer, result in getpwnam_r(name, &entry, buffer, 16384, &result) }
  }

  static func lookUp(userID: uid_t) -> String? {
    lookUpEntry { entry, buffer, result in getpwuid_r(userID, &entry, buffer, 16384, &result) }?.name
  }

  private static func lookUpEntry(
    _ call: (inout passwd, UnsafeMutablePointer<CChar>, inout UnsafeMutablePointer<passwd>?) -> Int32
  ) -> ClusterUser? {
    var entry = passwd()
    var result: UnsafeMutablePointer<passwd>?
    let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: 16384)
    defer { buffer.deallocate() }
    guard call(&entry, buffer, &result) == 0, result != nil, let name = entry.pw_name else { return nil }
    return ClusterUser(
      name: String(cString: name), userID: entry.pw_uid, groupID: entry.pw_gid, isCurrentUser: entry.pw_uid == geteuid())
  }
}

/// A short hash that stays the same across runs and machines (FNV-1a, 64 bits), for directory names.
enum StableHash {
  static func hex(_ text: String) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash &*= 0x0000_0100_0000_01b3
    }
    let digits = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }
}
