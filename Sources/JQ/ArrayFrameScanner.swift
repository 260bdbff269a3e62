/// Finds the boundaries between the elements of one top-level JSON array without parsing them.
///
/// It tracks only strings (with their escapes) and bracket depth, and checks the frame around the
/// elements: blanks, `[`, non-blank elements separated by commas, `]`, blanks. What is inside an
/// element is left to jq's parser, which reads the text between two boundaries; text it rejects
/// makes the caller give up and parse the whole file instead. Bytes may arrive in any number of
/// pieces: the state carries over from one `scan` to the next.
struct ArrayFrameScanner {
  private enum Phase { case beforeArray, inArray, afterArray }

  private var phase = Phase.beforeArray
  /// Bracket and brace depth; 1 directly inside the top-level array.
  private var depth = 0
  private var inString = false
  private var escaped = false
  /// Whether the current element has anything but blanks so far.
  private var elementHasContent = false
  /// Whether a comma has been seen at depth 1 (so `[ ]` is empty but `[1, ]` is wrong).
  private var sawComma = false

  /// Offset of the `[` that opens the array, once seen.
  private(set) var opening: Int?
  /// Offset of the latest boundary that ends a whole element: a comma at depth 1 or the closing `]`.
  private(set) var lastElementEnd: Int?

  /// Whether the array has been closed; only blanks may follow.
  var isClosed: Bool { phase == .afterArray }

  /// Scans `bytes[range]` (offsets count from `bytes`); returns `false` as soon as the text cannot be
  /// a single JSON array.
  mutating func scan(_ bytes: UnsafePointer<UInt8>, _ range: Range<Int>) -> Bool {
    // Locals rather than stored properties keep the per-byte loop in registers.
    var depth = depth, inString = inString, escaped = escaped, hasContent = elementHasContent
    defer {
      self.depth = depth
      self.inString = inString
      self.escaped = escaped
      self.elementHasContent = hasContent
    }
    var index = range.lowerBound
    let end = range.upperBound
    if escaped, index < end {
      escaped = false
      index += 1
    }
    while index < end {
      if inString {
        // Most of the text is inside strings: run to the next quote or backslash.
        while index < end, bytes[index] != 0x22, bytes[index] != 0x5C { index += 1 }
        guard index < end else { break }
        if bytes[index] == 0x22 {
          inString = false
          index += 1
        } else if index + 1 < end {
          index += 2  // a backslash and the byte it escapes
        } else {
          escaped = true  // the escaped byte comes in the next piece
          index += 1
        }
        continue
      }
      let offset = index
      let byte = bytes[offset]
      index += 1
      if phase != .inArray {
        if ArrayFrameScanner.isBlank(byte) { continue }
        // Anything but `[` first is not an array; anything but blanks after it is extra data.
        guard phase == .beforeArray, byte == 0x5B else { return false }
        phase = .inArray
        opening = offset
        depth = 1
        continue
      }
      switch byte {
      case 0x22:
        inString = true
        hasContent = true
      case 0x5B, 0x7B:  // [ {
        depth += 1
        hasContent = true
      case 0x5D, 0x7D:  // ] }
        if depth > 1 {
          depth -= 1
          continue
        }
        // Only `]` closes the array; `[1, ]` leaves an empty element, `[ ]` is the empty array.
        guard byte == 0x5D, hasContent || !sawComma else { return false }
        if hasContent { lastElementEnd = offset }
        depth = 0
        phase = .afterArray
      case 0x2C where depth == 1:  // ,
        guard hasContent else { return false }
        lastElementEnd = offset
        hasContent = false
        sawComma = true
      default:
        if !ArrayFrameScanner.isBlank(byte) { hasContent = true }
      }
    }
    return true
  }

  /// Moves the recorded offsets back by `distance` after the caller dropped that many leading bytes.
  mutating func shift(by distance: Int) {
    opening = opening.map { $0 - distance }
    lastElementEnd = lastElementEnd.map { $0 - distance }
  }

  /// jq's blanks between JSON tokens.
  static func isBlank(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
  }
}
