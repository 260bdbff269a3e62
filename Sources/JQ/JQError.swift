internal import CJQ

/// An error raised by jq: a runtime `error(…)`, a failed index, a parse failure.
///
/// jq errors carry a value; usually it is the message string, but `error({…})` raises any value.
public struct JQError: Error, CustomStringConvertible, @unchecked Sendable {
  /// The human-readable message: the string itself, or the compact JSON of a non-string value.
  public let message: String
  /// The value jq raised (a string for ordinary messages); `nil` when jq gave none.
  public let value: JSONValue?

  /// An error with the given message and no separate value.
  public init(message: String, value: JSONValue? = nil) {
    self.message = message
    self.value = value
  }

  /// Takes ownership of an invalid `jv` and reads its message.
  init(invalid raw: jv) {
    if jv_invalid_has_msg(jv_copy(raw)) != 0 {
      let value = JSONValue(owning: jv_invalid_get_msg(raw))
      if let text = value.stringValue {
        self.init(message: text, value: value)
      } else {
        self.init(message: "\(value) (not a string)", value: value)
      }
    } else {
      jv_free(raw)
      self.init(message: "unknown error", value: nil)
    }
  }

  public var description: String { message }
}
