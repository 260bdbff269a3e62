import JQ

/// An array of objects (SQL rows, any list) as psql draws a result: a header, aligned columns, numbers
/// to the right, and a row count; an empty array is `(0 rows)`, not `[]`.
struct RowTable {
  let columns: [String]
  /// Cells as text, and whether each is a number (right-aligned).
  let rows: [[(text: String, isNumber: Bool)]]

  /// The table for `value`, or `nil` when it is not an array of objects.
  init?(_ value: JSONValue) {
    guard let elements = value.arrayElements, elements.allSatisfy({ $0.kind == .object }) else { return nil }
    var columns: [String] = []
    for element in elements {
      for (key, _) in element.objectMembers ?? [] where !columns.contains(key) { columns.append(key) }
    }
    self.columns = columns
    rows = elements.map { element in
      columns.map { column in
        guard let cell = element[column] else { return ("", false) }
        switch cell.kind {
        case .null: return ("", false)
        case .string: return (Self.oneLine(cell.stringValue ?? ""), false)
        case .number: return (cell.description, true)
        default: return (Self.oneLine(cell.description), false)
        }
      }
    }
  }

  /// A cell on one line: newlines shown as `\n`.
  private static func oneLine(_ text: String) -> String {
    text.contains("\n") ? text.replacingOccurrences(of: "\n", with: "\\n") : text
  }

  var rendered: String {
    let count = rows.count == 1 ? "(1 row)" : "(\(rows.count) rows)"
    guard !columns.isEmpty else { return count + "\n" }
    let widths = columns.indices.map { index in max(columns[index].count, rows.map { $0[index].text.count }.max() ?? 0) }
    func line(_ cells: [(text: String, isNumber: Bool)]) -> String {
      let padded = cells.enumerated().map { index, cell in
        let space = String(repeating: " ", count: widths[index] - cell.text.count)
        return " " + (cell.isNumber ? space + cell.text : cell.text + space) + " "
      }
      return padded.joined(separator: "|").trimmingTrailingSpaces() + "\n"
    }
    let header = columns.enumerated().map { index, name in
      let extra = widths[index] - name.count
      return (
        text: String(repeating: " ", count: extra / 2) + name + String(repeating: " ", count: extra - extra / 2), isNumber: false
      )
    }
    let rule = widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+") + "\n"
    return line(header) + rule + rows.map(line).joined() + count + "\n"
  }
}
