import Synchronization

/// Which statement runs now, readable from a signal handler: mpg's out-of-memory report (see
/// `MemoryCeiling` in MPGShell) names the statement that was running when an allocation failed, when
/// the process can no longer allocate and libjq or the Swift runtime has called `abort()`.
///
/// Two relaxed atomic stores per statement; the file is held unretained (the running script's syntax
/// tree keeps it alive, and `run` clears it when the script ends).
public enum StatementTracker {
  private static let file = Atomic<UInt>(0)
  private static let offset = Atomic<Int>(0)

  /// Records `span` as the running statement; returns what it replaces, for `restore`.
  static func enter(_ span: SourceSpan) -> (file: UInt, offset: Int) {
    let previous = (file.load(ordering: .relaxed), offset.load(ordering: .relaxed))
    file.store(UInt(bitPattern: Unmanaged.passUnretained(span.file).toOpaque()), ordering: .relaxed)
    offset.store(span.offset, ordering: .relaxed)
    return previous
  }

  /// Puts back what `enter` replaced.
  static func restore(_ previous: (file: UInt, offset: Int)) {
    file.store(previous.file, ordering: .relaxed)
    offset.store(previous.offset, ordering: .relaxed)
  }

  /// Calls `body` with the running statement's file name (a C string), 1-based line and column (in
  /// bytes) and the bytes of its line, or does nothing when no statement runs. Allocates nothing:
  /// safe in a signal handler.
  public static func withCurrentLocation(_ body: (UnsafePointer<CChar>, Int, Int, UnsafeBufferPointer<UInt8>) -> Void) {
    let address = file.load(ordering: .relaxed)
    guard address != 0, let pointer = UnsafeRawPointer(bitPattern: address) else { return }
    let source = Unmanaged<SourceFile>.fromOpaque(pointer).takeUnretainedValue()
    let end = offset.load(ordering: .relaxed)
    source.bytes.withUnsafeBufferPointer { bytes in
      var line = 1
      var lineStart = 0
      for index in 0..<min(end, bytes.count) where bytes[index] == 0x0A {
        line += 1
        lineStart = index + 1
      }
      var lineEnd = lineStart
      while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
      body(source.cName, line, end - lineStart + 1, UnsafeBufferPointer(rebasing: bytes[lineStart..<lineEnd]))
    }
  }
}
