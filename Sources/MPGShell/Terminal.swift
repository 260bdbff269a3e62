#if canImport(Glibc)
  import Glibc
#endif

/// Facts about the process's terminal, read once.
enum Terminal {
  /// Standard input is a terminal (interactive use).
  static var inputIsTerminal: Bool { isatty(0) == 1 }
  /// Standard output is a terminal.
  static var outputIsTerminal: Bool { isatty(1) == 1 }
  /// Standard error is a terminal.
  static var errorIsTerminal: Bool { isatty(2) == 1 }

  /// Colour is wanted on a terminal unless `NO_COLOR` is set (https://no-color.org).
  static func wantsColor(terminal: Bool) -> Bool {
    guard terminal else { return false }
    if let value = getenv("NO_COLOR"), value.pointee != 0 { return false }
    return true
  }
}
