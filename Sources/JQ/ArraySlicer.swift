internal import CJQ

/// Reads the text of one top-level JSON array in chunks and hands it on as slices: arrays of
/// consecutive whole elements, each parsed by jq's parser from the text between two element
/// boundaries. Memory holds a chunk or two of text and one slice, never the whole array.
///
/// Why a slice can be trusted: the scanner and jq agree on where strings start and end, so when jq
/// accepts `[` + the text between two boundaries + `]` as one array, those elements are exactly the
/// ones the whole text holds there, nested as deeply; a slice jq rejects ends the read with `false`.
struct ArraySlicer {
  /// How much is read at a time; a slice is about this long, or one element when that is longer.
  var chunkSize = 1 << 16

  /// Reads everything through `read` (it fills the buffer it is given and returns the byte count,
  /// 0 at the end, `nil` on failure) and hands each slice to `body`. Returns `true` when the text was
  /// exactly one JSON array, whose elements are then those of the slices in order; `false` when it
  /// was not or could not be read, and the slices handed on so far mean nothing.
  func slices(read: (UnsafeMutableRawBufferPointer) -> Int?, _ body: (JSONValue) throws -> Void) rethrows -> Bool {
    var buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 2 * chunkSize, alignment: 1)
    defer { buffer.deallocate() }
    var scanner = ArrayFrameScanner()
    var filled = 0
    /// The boundary (`[` or `,`) before the first element not yet handed on.
    var sliceStart: Int?
    while true {
      if buffer.count - filled < chunkSize {
        // Keep only what the next slice needs; before the array opens that is nothing (blanks).
        let keep = sliceStart ?? filled
        if keep > 0 {
          buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + keep, byteCount: filled - keep)
          filled -= keep
          scanner.shift(by: keep)
          sliceStart = sliceStart.map { $0 - keep }
        }
        if buffer.count - filled < chunkSize {
          // One element longer than the buffer: grow it.
          let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: 2 * buffer.count, alignment: 1)
          larger.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: filled)
          buffer.deallocate()
          buffer = larger
        }
      }
      guard let count = read(UnsafeMutableRawBufferPointer(rebasing: buffer[filled...])) else { return false }
      if count == 0 { return scanner.isClosed }
      let bytes = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
      guard scanner.scan(bytes, filled..<(filled + count)) else { return false }
      filled += count
      if sliceStart == nil { sliceStart = scanner.opening }
      if let start = sliceStart, let end = scanner.lastElementEnd, end > start {
        guard let slice = ArraySlicer.parse(bytes, from: start, through: end) else { return false }
        try body(slice)
        sliceStart = end
      }
    }
  }

  /// Parses the elements between the boundaries at `start` and `end` as one array, by writing `[`
  /// and `]` over the boundaries (which the next slice no longer needs as they were).
  private static func parse(_ bytes: UnsafeMutablePointer<UInt8>, from start: Int, through end: Int) -> JSONValue? {
    let length = end - start + 1
    guard length <= Int(Int32.max) else { return nil }
    bytes[start] = 0x5B
    bytes[end] = 0x5D
    // jq's chunked parser rather than `jv_parse_sized`, whose error message reads the text as a C
    // string (past the slice, which has no terminating NUL).
    let parser = jv_parser_new(0)
    defer { jv_parser_free(parser) }
    let text = UnsafeRawPointer(bytes + start).assumingMemoryBound(to: CChar.self)
    jv_parser_set_buf(parser, text, Int32(length), 0)
    let value = jv_parser_next(parser)
    guard jv_is_valid(value) != 0 else {
      jv_free(value)
      return nil
    }
    let slice = JSONValue(owning: value)
    let after = jv_parser_next(parser)
    let isAlone = jv_is_valid(after) == 0 && jv_invalid_has_msg(jv_copy(after)) == 0
    jv_free(after)
    return isAlone && slice.kind == .array ? slice : nil
  }
}
