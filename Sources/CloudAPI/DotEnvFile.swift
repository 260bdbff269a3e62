import FileIO

/// A `.env` file: `NAME=VALUE` lines, optionally `export`ed, with `#` comments and single or double
/// quotes, as the official CLI and most tools read it.
public enum DotEnvFile {
  /// The variables in the file at `path`; empty when there is no file.
  public static func read(_ path: String) -> [String: String] {
    guard let text = try? FileText.read(path) else { return [:] }
    return parse(text)
  }

  /// The variables in `text`.
  public static func parse(_ text: String) -> [String: String] {
    var result: [String: String] = [:]
    for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
      var line = Substring(String(rawLine).trimmingWhitespace)
      if line.isEmpty || line.hasPrefix("#") { continue }
      if line.hasPrefix("export ") { line = line.dropFirst(7) }
      guard let equals = line.firstIndex(of: "=") else { continue }
      let name = String(line[..<equals]).trimmingWhitespace
      var value = String(line[line.index(after: equals)...]).trimmingWhitespace
      if let quote = value.first, quote == "\"" || quote == "'", let closing = value.dropFirst().firstIndex(of: quote) {
        value = String(value[value.index(after: value.startIndex)..<closing])
      } else if let comment = value.range(of: " #") {
        value = String(value[..<comment.lowerBound]).trimmingWhitespace
      }
      guard !name.isEmpty else { continue }
      result[name] = value
    }
    return result
  }
}
