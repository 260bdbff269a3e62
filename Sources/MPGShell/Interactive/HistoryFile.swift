import Builtins
import FileIO

#if canImport(Glibc)
  import Glibc
#endif

/// The interactive history in `$XDG_STATE_HOME/mpg/history` (0600), shared across sessions: each
/// entry is appended under a lock as soon as it is entered, duplicates are collapsed on load.
/// One entry per line; a multi-line entry keeps its newlines as `\n` (and `\` as `\\`).
struct HistoryFile {
  let path: String
  /// The most entries kept.
  var limit = 2000

  /// Every entry, oldest first, without repeats (the latest occurrence wins).
  func load() -> [String] {
    guard let text = try? FileText.read(path) else { return [] }
    var seen = Set<String>()
    var entries: [String] = []
    for line in text.split(separator: "\n").reversed() {
      let entry = Self.decode(String(line))
      if seen.insert(entry).inserted { entries.append(entry) }
      if entries.count >= limit { break }
    }
    return entries.reversed()
  }

  /// Appends one entry (creating the file 0600).
  func append(_ entry: String) {
    if let slash = path.lastIndex(of: "/") { try? makeDirectories(String(path[..<slash])) }
    let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o600)
    guard descriptor >= 0 else { return }
    defer { close(descriptor) }
    flock(descriptor, LOCK_EX)
    defer { flock(descriptor, LOCK_UN) }
    let line = Array((Self.encode(entry) + "\n").utf8)
    _ = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
  }

  static func encode(_ entry: String) -> String {
    entry.replacingAll("\\", with: "\\\\").replacingAll("\n", with: "\\n")
  }

  static func decode(_ line: String) -> String {
    var result = ""
    var escaping = false
    for character in line {
      if escaping {
        result.append(character == "n" ? "\n" : character)
        escaping = false
      } else if character == "\\" {
        escaping = true
      } else {
        result.append(character)
      }
    }
    return result
  }

  private func makeDirectories(_ path: String) throws {
    var current = ""
    for component in path.split(separator: "/") {
      current += "/" + component
      mkdir(current, 0o700)
    }
  }
}
