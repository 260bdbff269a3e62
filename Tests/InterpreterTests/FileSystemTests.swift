import FileIO
import Foundation
import Testing

/// The directory side of FileIO, which the clusters and the emulator's collector of leftovers use.
struct FileSystemTests {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mpg-filesystem-\(UUID().uuidString)").path

  @Test func aTreeIsMeasuredAndRemovedWithoutFollowingLinks() throws {
    let outside = folder + "-outside"
    defer {
      try? FileSystem.removeTree(folder)
      try? FileSystem.removeTree(outside)
    }
    try FileSystem.makeDirectory(folder + "/a/b", mode: 0o700)
    try FileSystem.makeDirectory(outside, mode: 0o755)
    try FileSystem.writeFile(folder + "/a/one", String(repeating: "x", count: 1000), mode: 0o600)
    try FileSystem.writeFile(folder + "/a/b/two", String(repeating: "y", count: 24), mode: 0o644)
    try FileSystem.writeFile(outside + "/kept", String(repeating: "z", count: 5000), mode: 0o644)
    #expect(symlink(outside, folder + "/a/link") == 0)

    #expect(FileSystem.isDirectory(folder + "/a/b") && (FileSystem.status(folder + "/a/b")?.mode ?? 0) & 0o777 == 0o700)
    #expect(FileSystem.entries(folder + "/a") == ["b", "link", "one"])
    #expect(FileSystem.regularFileBytes(under: folder) == 1024, "a link's target is not counted")
    #expect(try FileSystem.readFile(folder + "/a/b/two") == String(repeating: "y", count: 24))

    try FileSystem.removeTree(folder)
    #expect(!FileSystem.exists(folder))
    #expect(FileSystem.exists(outside + "/kept"), "removing a tree followed a link out of it")
    try FileSystem.removeTree(folder)  // missing is fine
  }

  @Test func failuresNameTheCallThePathAndTheReason() {
    #expect {
      try FileSystem.readFile(folder + "/missing")
    } throws: { error in
      (error as? FileSystem.Failure)?.description == "open \(folder)/missing: No such file or directory"
    }
    #expect {
      try FileText.read(folder + "/missing")
    } throws: { error in
      (error as? FileText.Failure)?.message == "cannot read \(folder)/missing: No such file or directory"
    }
  }
}
