internal import CJQ

#if canImport(Glibc)
  import Glibc
#endif

/// A failure to read JSON text, with jq's own wording.
public struct JSONParseError: Error, CustomStringConvertible, Sendable {
  /// jq's message, e.g. "Unfinished JSON term at EOF at line 2, column 0".
  public let message: String

  public var description: String { message }
}

extension JSONValue {
  /// Parses exactly one JSON value from UTF-8 bytes with jq's parser.
  public convenience init(parsing bytes: some Collection<UInt8>) throws(JSONParseError) {
    // On an error jq 1.6 quotes the input with "%s", reading it as a C string: give it a terminating
    // NUL so it never reads past the buffer (HTTP bodies and file chunks have none).
    var terminated = Array(bytes)
    let count = terminated.count
    terminated.append(0)
    let raw = terminated.withUnsafeBufferPointer { buffer in
      buffer.withMemoryRebound(to: CChar.self) { jv_parse_sized($0.baseAddress, Int32(count)) }
    }
    guard jv_is_valid(raw) != 0 else {
      throw JSONParseError(message: JQError(invalid: raw).message)
    }
    self.init(owning: raw)
  }

  /// Parses exactly one JSON value from a string.
  public convenience init(parsing text: String) throws(JSONParseError) {
    try self.init(parsing: Array(text.utf8))
  }

  /// Parses every JSON value in a byte buffer with jq's streaming parser (any size).
  public static func parseAll(_ bytes: [UInt8]) throws(JSONParseError) -> [JSONValue] {
    let parser = StreamingParser()
    var values: [JSONValue] = []
    try bytes.withUnsafeBufferPointer { (buffer) throws(JSONParseError) in
      try parser.feed(UnsafeRawBufferPointer(buffer), isLast: true, into: &values)
    }
    return values
  }

  /// Reads and parses every JSON value in the file at `path`, 64 KiB at a time, so memory holds the
  /// parsed values but never the whole file text.
  public static func parseFile(atPath path: String) throws(JSONFileError) -> [JSONValue] {
    guard let file = fopen(path, "rb") else {
      throw .unreadable(path: path, reason: String(cString: strerror(errno)))
    }
    defer { fclose(file) }
    let parser = StreamingParser()
    var values: [JSONValue] = []
    let chunkSize = 1 << 16
    let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 1)
    defer { chunk.deallocate() }
    while true {
      let count = fread(chunk.baseAddress, 1, chunkSize, file)
      if count < chunkSize && ferror(file) != 0 {
        throw .unreadable(path: path, reason: String(cString: strerror(errno)))
      }
      let isLast = count < chunkSize && feof(file) != 0
      do {
        try parser.feed(UnsafeRawBufferPointer(rebasing: chunk[..<count]), isLast: isLast, into: &values)
      } catch {
        throw .invalidJSON(path: path, error)
      }
      if isLast { return values }
    }
  }
}

/// Why a JSON file could not be loaded.
public enum JSONFileError: Error, Sendable {
  /// The file could not be opened or read.
  case unreadable(path: String, reason: String)
  /// The file is not valid JSON.
  case invalidJSON(path: String, JSONParseError)
}

/// jq's chunked parser (`jv_parser`). It keeps a pointer to each buffer until drained, so `feed`
/// drains every value before returning.
final class StreamingParser {
  private let parser: OpaquePointer
  private static let empty: [CChar] = [0]

  init() {
    parser = jv_parser_new(0)
  }

  deinit {
    jv_parser_free(parser)
  }

  func feed(_ bytes: UnsafeRawBufferPointer, isLast: Bool, into values: inout [JSONValue]) throws(JSONParseError) {
    if let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self) {
      jv_parser_set_buf(parser, base, Int32(bytes.count), isLast ? 0 : 1)
    } else {
      StreamingParser.empty.withUnsafeBufferPointer { jv_parser_set_buf(parser, $0.baseAddress, 0, isLast ? 0 : 1) }
    }
    while true {
      let next = jv_parser_next(parser)
      if jv_is_valid(next) != 0 {
        values.append(JSONValue(owning: next))
        continue
      }
      if jv_invalid_has_msg(jv_copy(next)) != 0 {
        throw JSONParseError(message: JQError(invalid: next).message)
      }
      jv_free(next)
      return
    }
  }
}
