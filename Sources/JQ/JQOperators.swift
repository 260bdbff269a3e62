internal import CJQ

/// jq 1.6's operators on single values, for evaluating simple expressions without starting jq.
///
/// Each returns `nil` wherever jq would raise an error or where the case is not covered here; the
/// caller then runs the expression through jq itself, so results and errors stay jq's own.
extension JSONValue {
  /// `a + b` (jq's `f_plus`): null is the identity; numbers add; strings, arrays concatenate;
  /// objects merge shallowly.
  public func jqPlus(_ other: JSONValue) -> JSONValue? {
    let left = jv_get_kind(raw)
    let right = jv_get_kind(other.raw)
    if left == JV_KIND_NULL { return other }
    if right == JV_KIND_NULL { return self }
    switch (left, right) {
    case (JV_KIND_NUMBER, JV_KIND_NUMBER):
      return JSONValue(jv_number_value(raw) + jv_number_value(other.raw))
    case (JV_KIND_STRING, JV_KIND_STRING):
      return JSONValue(owning: jv_string_concat(retained(), other.retained()))
    case (JV_KIND_ARRAY, JV_KIND_ARRAY):
      return JSONValue(owning: jv_array_concat(retained(), other.retained()))
    case (JV_KIND_OBJECT, JV_KIND_OBJECT):
      return JSONValue(owning: jv_object_merge(retained(), other.retained()))
    default:
      return nil
    }
  }

  /// `a - b` for numbers.
  public func jqMinus(_ other: JSONValue) -> JSONValue? {
    guard let left = numberValue, let right = other.numberValue else { return nil }
    return JSONValue(left - right)
  }

  /// `a * b` for numbers.
  public func jqMultiply(_ other: JSONValue) -> JSONValue? {
    guard let left = numberValue, let right = other.numberValue else { return nil }
    return JSONValue(left * right)
  }

  /// `a / b` for numbers with a non-zero divisor.
  public func jqDivide(_ other: JSONValue) -> JSONValue? {
    guard let left = numberValue, let right = other.numberValue, right != 0 else { return nil }
    return JSONValue(left / right)
  }

  /// `-a` for a number.
  public func jqNegate() -> JSONValue? {
    guard let number = numberValue else { return nil }
    return JSONValue(-number)
  }

  /// jq's `tostring`: a string unchanged, anything else as compact JSON.
  public func jqToString() -> JSONValue {
    jv_get_kind(raw) == JV_KIND_STRING ? self : JSONValue(owning: jv_dump_string(retained(), 0))
  }
}
