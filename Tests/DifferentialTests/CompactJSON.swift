/// jq's compact output (`jq -c`) derived from its pretty output, so the oracle runs once per case.
///
/// jq's pretty printer adds only newlines and indentation between tokens and one space after each
/// `:`, never inside a string, and ends every top-level value with a newline. Removing blanks outside
/// strings, except the newline after a top-level value, therefore gives `jq -c`'s text exactly; the
/// test still runs `jq -c` on a sample of cases to keep this honest.
enum CompactJSON {
  /// The compact text of `pretty`, one top-level value per line.
  static func from(pretty: String) -> String {
    var result: [UInt8] = []
    result.reserveCapacity(pretty.utf8.count)
    var inString = false
    var escaped = false
    var depth = 0
    for byte in pretty.utf8 {
      if inString {
        result.append(byte)
        if escaped {
          escaped = false
        } else if byte == UInt8(ascii: "\\") {
          escaped = true
        } else if byte == UInt8(ascii: "\"") {
          inString = false
        }
        continue
      }
      switch byte {
      case UInt8(ascii: "\""):
        inString = true
      case UInt8(ascii: "["), UInt8(ascii: "{"):
        depth += 1
      case UInt8(ascii: "]"), UInt8(ascii: "}"):
        depth -= 1
      case UInt8(ascii: " "):
        continue
      case UInt8(ascii: "\n") where depth > 0:
        continue
      default:
        break
      }
      result.append(byte)
    }
    return String(decoding: result, as: UTF8.self)
  }
}
