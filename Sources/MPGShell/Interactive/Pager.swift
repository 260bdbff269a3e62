import JQ

#if canImport(Glibc)
  import Glibc
#endif

/// Output taller than the terminal goes through `$PAGER` (default `less -FRX`: quits when it fits,
/// keeps colours, leaves the text on screen), as psql and git do.
enum Pager {
  /// The terminal's height in rows, or `nil` when standard output is not a terminal.
  static var terminalRows: Int? {
    guard isatty(1) == 1 else { return nil }
    var size = winsize()
    guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 else { return nil }
    return Int(size.ws_row)
  }

  /// Shows `text` through the pager when it would not fit; returns whether it did.
  static func showIfTall(_ text: String) -> Bool {
    guard let rows = terminalRows else { return false }
    var lines = 0
    for byte in text.utf8 where byte == UInt8(ascii: "\n") {
      lines += 1
      if lines >= rows { break }
    }
    guard lines >= rows else { return false }
    let command = getenv("PAGER").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "less -FRX"
    TextStream.standardOutput.flush()
    guard let pipe = popen(command, "w") else { return false }
    fputs(text, pipe)
    pclose(pipe)
    return true
  }
}
