import FileIO
import Foundation
import Testing

/// `save` (and every atomic write) keeps what the user set on a file: its mode, and a symlink to it.
struct FileTextTests {
  let folder: URL

  init() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("mpg-filetext-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  private func mode(_ path: String) throws -> Int {
    try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
  }

  @Test func anExistingFileKeepsItsMode() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("secret.json").path
    try FileText.writeAtomically("{}\n", to: path)
    chmod(path, 0o600)
    try FileText.writeAtomically("{\"a\": 1}\n", to: path)
    #expect(try mode(path) == 0o600)
    #expect(try FileText.read(path) == "{\"a\": 1}\n")
    chmod(path, 0o751)
    try FileText.writeAtomically("2\n", to: path)
    #expect(try mode(path) == 0o751)
  }

  @Test func anExactModeIsSetWhateverTheFileHad() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("vault.json").path
    try FileText.writeAtomically("{}\n", to: path)
    chmod(path, 0o644)
    try FileText.writeAtomically("{}\n", to: path, mode: 0o600, exactMode: true)
    #expect(try mode(path) == 0o600)
  }

  @Test func aSymlinkIsWrittenThrough() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    let target = folder.appendingPathComponent("real.json").path
    let link = folder.appendingPathComponent("link.json").path
    try FileText.writeAtomically("old\n", to: target)
    chmod(target, 0o600)
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real.json")
    try FileText.writeAtomically("new\n", to: link)
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "real.json")
    #expect(try FileText.read(target) == "new\n")
    #expect(try mode(target) == 0o600)
    // A dangling link: the write creates its target.
    let dangling = folder.appendingPathComponent("dangling.json").path
    try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: "created.json")
    try FileText.writeAtomically("made\n", to: dangling)
    #expect(try FileText.read(folder.appendingPathComponent("created.json").path) == "made\n")
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dangling) == "created.json")
    // Nothing else is left beside them.
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    #expect(names == ["created.json", "dangling.json", "link.json", "real.json"])
  }
}
