internal import CJQ

/// How to print a value: the choices of jq's command line.
public struct PrintOptions: Sendable, Equatable {
  /// Spaces per indent level; 0 prints compactly on one line.
  public var indent: Int
  /// Colour with jq's default palette.
  public var color: Bool
  /// Sort object keys.
  public var sortKeys: Bool
  /// Escape non-ASCII characters.
  public var asciiOnly: Bool
  /// Print a top-level string as its raw text instead of a JSON string (`jq -r`).
  public var rawStrings: Bool

  /// Creates print options; the defaults are jq's pretty output without colour.
  public init(indent: Int = 2, color: Bool = false, sortKeys: Bool = false, asciiOnly: Bool = false, rawStrings: Bool = false) {
    self.indent = indent
    self.color = color
    self.sortKeys = sortKeys
    self.asciiOnly = asciiOnly
    self.rawStrings = rawStrings
  }

  /// `jq .`: pretty, two-space indent, no colour.
  public static let pretty = PrintOptions()
  /// `jq -c`: one line.
  public static let compact = PrintOptions(indent: 0)

  var flags: Int32 {
    mpg_jv_print_flags(Int32(indent), color ? 1 : 0, sortKeys ? 1 : 0, asciiOnly ? 1 : 0)
  }
}

extension JSONValue {
  /// The value as JSON text (or raw text for a string when `rawStrings` is set), without a newline.
  public func dumped(_ options: PrintOptions = .pretty) -> String {
    if options.rawStrings, let string = stringValue { return string }
    let text = JSONValue(owning: jv_dump_string(retained(), options.flags))
    return text.stringValue ?? ""
  }
}

/// A buffered C stdio stream (standard output or error), so JSON is dumped by jq straight into the
/// same buffer as the text around it and nothing is reordered.
public final class TextStream: @unchecked Sendable {
  private let file: UnsafeMutablePointer<FILE>

  private init(file: UnsafeMutablePointer<FILE>) {
    self.file = file
  }

  /// The process's standard output.
  public static let standardOutput = TextStream(file: mpg_stdout())
  /// The process's standard error.
  public static let standardError = TextStream(file: mpg_stderr())

  /// Writes text as UTF-8.
  public func write(_ text: String) {
    var text = text
    text.withUTF8 { bytes in
      _ = fwrite(bytes.baseAddress, 1, bytes.count, file)
    }
  }

  /// Writes a value as jq would print it, followed by a newline.
  public func writeLine(_ value: JSONValue, options: PrintOptions) {
    if options.rawStrings, value.kind == .string, let raw = jv_string_value(value.raw) {
      let length = Int(jv_string_length_bytes(value.retained()))
      fwrite(raw, 1, length, file)
    } else {
      jv_dumpf(value.retained(), file, options.flags)
    }
    fputc(0x0A, file)
  }

  /// Pushes buffered output to the file descriptor without taking the stream's lock: for a signal
  /// handler that ends the process next (the interrupted thread may hold the lock).
  public func flushBeforeDying() {
    _ = fflush_unlocked(file)
  }

  /// Pushes buffered output to the file descriptor.
  public func flush() {
    fflush(file)
  }
}
