import JQ

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

  /// Asks a yes/no question on standard error and reads the answer from standard input; only `y`
  /// or `yes` is yes.
  @Sendable static func askYesNo(_ question: String) -> Bool {
    TextStream.standardOutput.flush()
    TextStream.standardError.write(question)
    TextStream.standardError.flush()
    guard let line = readLine(strippingNewline: true) else { return false }
    let answer = String(line.lowercased().filter { !$0.isWhitespace })
    return answer == "y" || answer == "yes"
  }

  /// Reads one line from the terminal without echoing it (for secrets).
  static func readHiddenLine() -> String? {
    var saved = termios()
    guard tcgetattr(0, &saved) == 0 else { return readLine(strippingNewline: true) }
    var hidden = saved
    hidden.c_lflag &= ~tcflag_t(ECHO)
    tcsetattr(0, TCSAFLUSH, &hidden)
    defer {
      tcsetattr(0, TCSAFLUSH, &saved)
      TextStream.standardError.write("\n")
      TextStream.standardError.flush()
    }
    return readLine(strippingNewline: true)
  }
}
