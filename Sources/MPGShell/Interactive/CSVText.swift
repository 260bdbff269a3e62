import JQ

/// An array of objects (a header row from their keys, in first-seen order) or of arrays as
/// comma-separated values (RFC 4180 quoting: a field with a comma, quote or newline is quoted; lines
/// end with a newline, as the rest of mpg's output does).
struct CSVText {
  let text: String

  /// The CSV for `value`, or `nil` when it is neither an array of objects nor an array of arrays.
  init?(_ value: JSONValue) {
    guard let elements = value.arrayElements else { return nil }
    var lines: [String] = []
    if elements.allSatisfy({ $0.kind == .object }) {
      var columns: [String] = []
      for element in elements {
        for (key, _) in element.objectMembers ?? [] where !columns.contains(key) { columns.append(key) }
      }
      if !columns.isEmpty { lines.append(columns.map(Self.field).joined(separator: ",")) }
      for element in elements { lines.append(columns.map { Self.field(element[$0]) }.joined(separator: ",")) }
    } else if elements.allSatisfy({ $0.kind == .array }) {
      for element in elements { lines.append((element.arrayElements ?? []).map { Self.field($0) }.joined(separator: ",")) }
    } else {
      return nil
    }
    text = lines.map { $0 + "\n" }.joined()
  }

  private static func field(_ value: JSONValue?) -> String {
    guard let value, value.kind != .null else { return "" }
    return field(value.kind == .string ? value.stringValue ?? "" : value.description)
  }

  private static func field(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
