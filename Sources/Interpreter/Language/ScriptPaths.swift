/// Paths as scripts write them: relative to the file that wrote them.
public enum ScriptPaths {
  /// `path` resolved against `directory` (absolute paths and `-`, standard input, stay as they are).
  public static func resolve(_ path: String, against directory: String?) -> String {
    if path == "-" || path.hasPrefix("/") { return path }
    guard let directory, !directory.isEmpty else { return path }
    return directory.hasSuffix("/") ? directory + path : directory + "/" + path
  }

  /// The directory part of a path ("" for a bare file name).
  public static func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "" }
    return slash == path.startIndex ? "/" : String(path[..<slash])
  }
}
