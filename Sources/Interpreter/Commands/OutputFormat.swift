import JQ

/// How a printed result looks: `set output FORMAT` at the prompt, `-o FORMAT` on one command.
public enum OutputFormat: String, CaseIterable, Sendable {
  /// A list of services as aligned columns; anything else as pretty JSON.
  case table
  /// Pretty JSON, two-space indent.
  case json
  /// JSON on one line.
  case compact
  /// Strings as their text, other values as pretty JSON.
  case raw
  /// An array of objects as comma-separated values with a header row; anything else as compact JSON.
  case csv

  /// `options` changed to print this way (a table, where it cannot be drawn, is pretty JSON).
  public func applied(to options: PrintOptions) -> PrintOptions {
    var options = options
    switch self {
    case .table, .json: options.indent = 2
    case .compact, .csv: options.indent = 0
    case .raw: options.rawStrings = true
    }
    return options
  }

  /// The formats, for messages: `table, json, compact or raw`.
  public static var listed: String {
    let names = allCases.map(\.rawValue)
    return names.dropLast().joined(separator: ", ") + " or " + names.last!
  }
}
