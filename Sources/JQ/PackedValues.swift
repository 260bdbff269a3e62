internal import CJQ

/// A list of values kept as compact JSON text in one growing buffer, read back with jq's parser.
///
/// Why: values held while jq values are allocated and freed around them (a filter's outputs while
/// `load FILE | .[] | …` frees slice after slice) are small blocks scattered through glibc's heap,
/// which then cannot merge its free blocks, and every larger allocation walks the pieces: holding
/// 240,000 ids slowed a 100 MB run by half. One buffer keeps them out of the way. Strings are kept
/// as their bytes and numbers as numbers; a value whose text might not read back the same (jq
/// prints NaN as `null`, so any text holding `null`) is kept as it is.
public struct PackedValues {
  private enum Entry {
    case string(Range<Int>)
    case text(Range<Int>)
    case number(Double)
    case value(JSONValue)
  }

  private var text: [UInt8] = []
  private var entries: [Entry] = []

  /// An empty list.
  public init() {}

  /// How many values it holds.
  public var count: Int { entries.count }

  /// Adds `value` at the end.
  public mutating func append(_ value: JSONValue) {
    switch value.kind {
    case .number:
      entries.append(.number(value.numberValue!))
    case .string:
      let length = Int(jv_string_length_bytes(value.retained()))
      entries.append(.string(store(UnsafeRawBufferPointer(start: jv_string_value(value.raw), count: length))))
    default:
      let dumped = jv_dump_string(value.retained(), 0)
      defer { jv_free(dumped) }
      let length = Int(jv_string_length_bytes(jv_copy(dumped)))
      let bytes = UnsafeRawBufferPointer(start: jv_string_value(dumped), count: length)
      let isNull = length == 4 && bytes.elementsEqual("null".utf8)
      if length > Int(Int32.max) || (!isNull && PackedValues.containsNull(bytes)) {
        entries.append(.value(value))
      } else {
        entries.append(.text(store(bytes)))
      }
    }
  }

  private mutating func store(_ bytes: UnsafeRawBufferPointer) -> Range<Int> {
    let start = text.count
    text.append(contentsOf: bytes)
    return start..<text.count
  }

  /// Hands each value to `body`, in order; a value held as text is parsed again for the call.
  public func forEach(_ body: (JSONValue) throws -> Void) rethrows {
    for entry in entries {
      switch entry {
      case .number(let number): try body(JSONValue(number))
      case .string(let range): try body(string(range))
      case .value(let value): try body(value)
      case .text(let range): try body(parse(range))
      }
    }
  }

  /// Every value, in order.
  public var values: [JSONValue] {
    var values: [JSONValue] = []
    values.reserveCapacity(entries.count)
    forEach { values.append($0) }
    return values
  }

  private func string(_ range: Range<Int>) -> JSONValue {
    text.withUnsafeBufferPointer { buffer in
      let start = UnsafeRawPointer(buffer.baseAddress! + range.lowerBound).assumingMemoryBound(to: CChar.self)
      return JSONValue(owning: jv_string_sized(start, Int32(range.count)))
    }
  }

  private func parse(_ range: Range<Int>) -> JSONValue {
    text.withUnsafeBufferPointer { buffer in
      // The chunked parser, as `jv_parse_sized` would read its error message past the range.
      let parser = jv_parser_new(0)
      defer { jv_parser_free(parser) }
      let start = UnsafeRawPointer(buffer.baseAddress! + range.lowerBound).assumingMemoryBound(to: CChar.self)
      jv_parser_set_buf(parser, start, Int32(range.count), 0)
      let value = jv_parser_next(parser)
      precondition(jv_is_valid(value) != 0, "jq could not read back its own JSON text")
      return JSONValue(owning: value)
    }
  }

  private static func containsNull(_ bytes: UnsafeRawBufferPointer) -> Bool {
    guard bytes.count >= 4 else { return false }
    for index in 0...(bytes.count - 4) where bytes[index] == 0x6E {  // n
      if bytes[index + 1] == 0x75, bytes[index + 2] == 0x6C, bytes[index + 3] == 0x6C { return true }  // ull
    }
    return false
  }
}
