#if canImport(Glibc)
  import Glibc
#endif

// The Interpreter target: lexer, parser, AST, evaluator and diagnostics of the mpg language.
// It may import JQ (values and jq programs) and nothing that touches HTTP or a terminal.

/// The text of one script, one `-c` snippet or one REPL entry, with a line map built once.
public final class SourceFile: Sendable {
  /// The name shown in diagnostics (a path, `<command line>`, `<stdin>`, …).
  public let name: String
  /// The file's directory, for resolving `source`, `load` and `save` paths; `nil` means the working directory.
  public let directory: String?
  /// The UTF-8 bytes of the text.
  public let bytes: [UInt8]
  /// Byte offset of the start of each line.
  private let lineStarts: [Int]
  /// `name` as a C string that lives as long as this file, for reports written where Swift strings
  /// cannot be used (a signal handler, see `StatementTracker`).
  nonisolated(unsafe) let cName: UnsafeMutablePointer<CChar>

  /// A source with the given display name and text.
  public init(name: String, text: String, directory: String? = nil) {
    self.name = name
    self.directory = directory
    cName = strdup(name)
    var bytes = Array(text.utf8)
    // A `#!` first line is a comment for the kernel, not for mpg: blank it out but keep offsets.
    if bytes.starts(with: [0x23, 0x21]) {
      var index = 0
      while index < bytes.count, bytes[index] != 0x0A {
        bytes[index] = 0x20
        index += 1
      }
    }
    self.bytes = bytes
    var starts = [0]
    for (offset, byte) in bytes.enumerated() where byte == 0x0A {
      starts.append(offset + 1)
    }
    lineStarts = starts
  }

  deinit {
    free(cName)
  }

  /// The 1-based line and column (in characters) of a byte offset.
  public func lineAndColumn(of offset: Int) -> (line: Int, column: Int) {
    let line = lineIndex(of: offset)
    let prefix = bytes[lineStarts[line]..<min(offset, bytes.count)]
    let column = String(decoding: prefix, as: UTF8.self).count + 1
    return (line + 1, column)
  }

  /// The text of a 1-based line, without its newline.
  public func lineText(_ line: Int) -> String {
    guard line >= 1, line <= lineStarts.count else { return "" }
    let start = lineStarts[line - 1]
    var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
    if end > start, bytes[end - 1] == 0x0D { end -= 1 }
    return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
  }

  /// The byte offset where a 1-based line starts.
  public func offset(ofLine line: Int) -> Int {
    lineStarts[max(0, min(line - 1, lineStarts.count - 1))]
  }

  /// The text between two byte offsets.
  public func text(_ range: Range<Int>) -> String {
    String(decoding: bytes[range], as: UTF8.self)
  }

  private func lineIndex(of offset: Int) -> Int {
    var low = 0
    var high = lineStarts.count - 1
    while low < high {
      let middle = (low + high + 1) / 2
      if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
    }
    return low
  }
}

/// A span of source text: where a token, expression or statement came from.
public struct SourceSpan: Sendable {
  /// The file the span is in.
  public let file: SourceFile
  /// Byte offset of the first byte.
  public let offset: Int
  /// Length in bytes (0 for a point such as end of file).
  public let length: Int

  /// A span of `length` bytes at `offset` in `file`.
  public init(file: SourceFile, offset: Int, length: Int) {
    self.file = file
    self.offset = offset
    self.length = length
  }

  /// The 1-based line of the start.
  public var line: Int { file.lineAndColumn(of: offset).line }
  /// The 1-based column of the start.
  public var column: Int { file.lineAndColumn(of: offset).column }

  /// The span from the start of this one to the end of `other`.
  public func through(_ other: SourceSpan) -> SourceSpan {
    SourceSpan(file: file, offset: offset, length: max(length, other.offset + other.length - offset))
  }

}
