import JQ

/// Where a run's output goes: the process's streams, or a buffer in tests.
public protocol OutputSink: AnyObject {
  /// Writes text to standard output.
  func write(_ text: String)
  /// Writes a value to standard output as jq prints it, with a newline.
  func write(_ value: JSONValue, options: PrintOptions)
  /// Writes a value the way `format` says (`-o FORMAT` on a command), whatever the session's default.
  func write(_ value: JSONValue, options: PrintOptions, format: OutputFormat)
  /// Writes text to standard error.
  func writeError(_ text: String)
  /// Pushes buffered output out (before a child process or a pause).
  func flush()
  /// The text that writing `value` would print (as `format` says, when given), newline included: a
  /// sink that prefixes or holds lines (a `parallel for` iteration's) prints values through it.
  func rendered(_ value: JSONValue, options: PrintOptions, format: OutputFormat?) -> String
}

extension OutputSink {
  /// Prints JSON as `format` says; only a sink that knows how to draw tables draws one.
  public func write(_ value: JSONValue, options: PrintOptions, format: OutputFormat) {
    write(value, options: format.applied(to: options))
  }

  /// JSON as jq prints it.
  public func rendered(_ value: JSONValue, options: PrintOptions, format: OutputFormat?) -> String {
    value.dumped(format?.applied(to: options) ?? options) + "\n"
  }
}

/// Standard output and standard error of the process, buffered by C stdio.
public final class StandardStreams: OutputSink {
  /// The streams.
  public init() {}

  public func write(_ text: String) {
    TextStream.standardOutput.write(text)
  }

  public func write(_ value: JSONValue, options: PrintOptions) {
    TextStream.standardOutput.writeLine(value, options: options)
  }

  public func writeError(_ text: String) {
    TextStream.standardOutput.flush()
    TextStream.standardError.write(text)
    TextStream.standardError.flush()
  }

  public func flush() {
    TextStream.standardOutput.flush()
    TextStream.standardError.flush()
  }
}

/// Collects output in memory (for tests and embedding).
public final class CapturedOutput: OutputSink {
  /// Everything written to standard output.
  public private(set) var standardOutput = ""
  /// Everything written to standard error.
  public private(set) var standardError = ""

  /// An empty capture.
  public init() {}

  public func write(_ text: String) { standardOutput += text }
  public func write(_ value: JSONValue, options: PrintOptions) { standardOutput += value.dumped(options) + "\n" }
  public func writeError(_ text: String) { standardError += text }
  public func flush() {}
}
