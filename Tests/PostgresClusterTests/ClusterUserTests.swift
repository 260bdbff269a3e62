import FileIO
import Glibc
import Testing

@testable import PostgresCluster

@Suite("Cluster user")
struct ClusterUserTests {
  @Test func rootRunsClustersAsAnUnprivilegedUser() async throws {
    let user = try await TestFixture.shared.user()
    if geteuid() == 0 {
      #expect(!user.isCurrentUser)
      #expect(user.userID != 0)
      #expect(user.name == ClusterUser.systemUserName || user.name == "postgres")
    } else {
      #expect(user.isCurrentUser)
      #expect(user.userID == geteuid())
    }
  }

  @Test func unreachableDirectoriesMoveToAStablePlace() {
    let user = ClusterUser(name: "nobody", userID: 65534, groupID: 65534, isCurrentUser: false)
    let hidden = "/root/.local/share/mpg/clusters"
    let rootMode = FileSystem.status("/root")?.mode ?? 0o755
    guard rootMode & 0o001 == 0 else { return }  // /root is normally 0700
    let placed = user.reachableDirectory(for: hidden)
    #expect(placed.hasPrefix(ClusterUser.fallbackBaseDirectory + "/clusters-"))
    #expect(placed == user.reachableDirectory(for: hidden))
    #expect(user.reachableDirectory(for: "/tmp/mpg-x/clusters") == "/tmp/mpg-x/clusters")
  }

  @Test func searchPermissionDecidesReachability() throws {
    let user = ClusterUser(name: "nobody", userID: 65534, groupID: 65534, isCurrentUser: false)
    let directory = "\(TestFixture.root)/reach-\(getpid())"
    try ClusterFiles.makeDirectory(directory, mode: 0o700)
    defer { try? ClusterFiles.removeTree(directory) }
    #expect(geteuid() != 0 || !user.canReach("\(directory)/inside"))
    try ClusterFiles.makeDirectory(directory, mode: 0o711)
    #expect(user.canReach("\(directory)/inside/not/yet/made"))
  }
}
