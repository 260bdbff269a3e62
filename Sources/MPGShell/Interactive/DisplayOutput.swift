import Builtins
import Interpreter
import JQ

/// How results print: at the prompt as `set output …` says (a list of services as an aligned table with
/// the state coloured, other values as pretty JSON; or always JSON, compact JSON, or raw strings), in
/// scripts as mpg's flags say; `-o FORMAT` on one command overrides either.
final class DisplayOutput: OutputSink {
  /// Where text finally goes (set by the runner).
  var base: any OutputSink = StandardStreams()
  /// The session's format (`set output`); `nil` prints as the options say (scripts: `-c`, `-r`).
  var mode: OutputFormat?

  func write(_ text: String) {
    base.write(text)
    capture(text)
  }

  func writeError(_ text: String) {
    base.writeError(text)
    capture(text)
  }

  func flush() { base.flush() }

  /// What was printed since `startCapture`, secrets masked (for `record --markdown`); `nil` when not capturing.
  private(set) var captured: String?

  /// Starts keeping a copy of what is printed.
  func startCapture() { captured = "" }

  /// Hands over what was kept and stops keeping.
  func takeCaptured() -> String {
    defer { captured = nil }
    return captured ?? ""
  }

  private func capture(_ text: String) {
    guard captured != nil else { return }
    captured! += secrets.map { $0.masking(text) } ?? text
  }

  /// Whether long output goes through the pager (at the interactive prompt).
  var pages = false
  /// The secrets to mask, `nil` with --show-secrets; the base masks what it prints itself.
  var secrets: SecretRegistry? = SecretRegistry()

  func write(_ value: JSONValue, options: PrintOptions) {
    guard let mode else { return writeJSON(value, options: options) }
    write(value, options: options, format: mode)
  }

  func write(_ value: JSONValue, options: PrintOptions, format: OutputFormat) {
    if let tabulated = tabulated(value, options: options, format: format) {
      return tabulated.isTable ? page(tabulated.text) : write(tabulated.text)
    }
    writeJSON(value, options: format.applied(to: options))
  }

  func rendered(_ value: JSONValue, options: PrintOptions, format: OutputFormat?) -> String {
    guard let format = format ?? mode else { return masked(value).dumped(options) + "\n" }
    if let tabulated = tabulated(value, options: options, format: format) { return tabulated.text }
    return masked(value).dumped(format.applied(to: options)) + "\n"
  }

  /// `value`, masked, as a table or as CSV when `format` asks for one and the value has rows; nil
  /// otherwise (it prints as JSON).
  private func tabulated(_ value: JSONValue, options: PrintOptions, format: OutputFormat) -> (text: String, isTable: Bool)? {
    switch format {
    case .table:
      let shown = masked(value)
      if let table = ServiceTable(shown, color: options.color) { return (table.rendered, true) }
      if let table = RowTable(shown) { return (table.rendered, true) }
    case .csv:
      if let csv = CSVText(masked(value)) { return (csv.text, false) }
    case .json, .compact, .raw: break
    }
    return nil
  }

  private func masked(_ value: JSONValue) -> JSONValue {
    secrets.map { SecretMasking.masked(value, registry: $0) } ?? value
  }

  private func writeJSON(_ value: JSONValue, options: PrintOptions) {
    guard pages, (value.kind == .object || value.kind == .array) else {
      if captured != nil {
        var plain = options
        plain.color = false
        capture(masked(value).dumped(plain) + "\n")
      }
      base.write(value, options: options)
      return
    }
    // Masked like everything printed, then paged when taller than the screen.
    let shown = masked(value)
    page(shown.dumped(options) + "\n")
  }

  private func page(_ text: String) {
    capture(text)
    base.flush()
    if pages, Pager.showIfTall(text) { return }
    base.write(text)
  }
}

/// A list of services (objects with `id`, `name` and `state`) as aligned columns.
struct ServiceTable {
  let rows: [[String]]
  let states: [String]
  let color: Bool
  static let headers = ["ID", "NAME", "STATE", "SIZE", "REGION", "VERSION", "TAGS"]

  init?(_ value: JSONValue, color: Bool) {
    guard let services = value.arrayElements, !services.isEmpty,
      services.allSatisfy({ $0.kind == .object && $0["id"] != nil && $0["name"] != nil && $0["state"] != nil })
    else { return nil }
    rows = services.map { service in
      let tags = (service["tags"]?.arrayElements ?? []).map {
        "\($0["key"]?.stringValue ?? "")=\($0["value"]?.stringValue ?? "")"
      }
      return [
        service["id"]?.stringValue ?? "", service["name"]?.stringValue ?? "", service["state"]?.stringValue ?? "",
        service["size"]?.stringValue ?? "", service["region"]?.stringValue ?? "", service["postgresVersion"]?.stringValue ?? "",
        tags.joined(separator: ","),
      ]
    }
    states = rows.map { $0[2] }
    self.color = color
  }

  var rendered: String {
    let widths = Self.headers.indices.map { column in max(Self.headers[column].count, rows.map { $0[column].count }.max() ?? 0) }
    func line(_ cells: [String], state: String? = nil) -> String {
      cells.enumerated().map { index, cell in
        let padded = index == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
        return index == 2 && color ? Self.colored(padded, state: state ?? "") : padded
      }.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
    }
    return line(Self.headers) + rows.map { line($0, state: $0[2]) }.joined()
  }

  /// Green when running, yellow while changing, red when unavailable or stopped.
  static func colored(_ text: String, state: String) -> String {
    let code: String
    switch state {
    case "running": code = "32"
    case "unavailable", "stopped", "deleting": code = "31"
    case "": return text
    default: code = "33"
    }
    return "\u{1B}[\(code)m\(text)\u{1B}[0m"
  }
}

extension String {
  /// The string without the spaces at its end (a row whose last cells are empty).
  func trimmingTrailingSpaces() -> String {
    var text = self
    while text.hasSuffix(" ") { text.removeLast() }
    return text
  }
}
