// The JQ target is the only importer of libjq. It owns every `jv` reference and every `jq_state`,
// and exposes them as Swift types; no C type appears in its public signatures.
internal import CJQ

/// A JSON value held as one owned libjq `jv` reference, released when the wrapper goes away.
///
/// Values are immutable; operations that "change" a value return a new one. libjq's reference
/// counts are not atomic, so a value must not be shared between threads at the same time.
public final class JSONValue: @unchecked Sendable {
  /// The owned reference. Borrowing calls read it directly; consuming calls receive `jv_copy(raw)`.
  let raw: jv

  /// Takes ownership of `raw`, which the caller must not free.
  init(owning raw: jv) {
    self.raw = raw
  }

  deinit {
    jv_free(raw)
  }

  /// A new owned reference to the same value, for handing to a consuming libjq call.
  func retained() -> jv {
    jv_copy(raw)
  }

  /// The JSON kind of the value.
  public var kind: Kind {
    Kind(raw: mpg_jv_kind(raw))
  }

  /// The JSON kinds a value can have.
  public enum Kind: String, Sendable {
    case null, boolean, number, string, array, object

    init(raw: Int32) {
      switch jv_kind(UInt32(raw)) {
      case JV_KIND_NULL: self = .null
      case JV_KIND_TRUE, JV_KIND_FALSE: self = .boolean
      case JV_KIND_NUMBER: self = .number
      case JV_KIND_STRING: self = .string
      case JV_KIND_ARRAY: self = .array
      case JV_KIND_OBJECT: self = .object
      default: self = .null
      }
    }

    /// The name jq gives this kind in messages and in `type`.
    public var jqName: String { self == .null ? "null" : rawValue }
  }
}

// MARK: - Constructing values

extension JSONValue {
  /// JSON `null`.
  public static var null: JSONValue { JSONValue(owning: jv_null()) }

  /// A JSON boolean.
  public convenience init(_ bool: Bool) {
    self.init(owning: jv_bool(bool ? 1 : 0))
  }

  /// A JSON number.
  public convenience init(_ number: Double) {
    self.init(owning: jv_number(number))
  }

  /// A JSON number from an integer.
  public convenience init(_ number: Int) {
    self.init(owning: jv_number(Double(number)))
  }

  /// A JSON string.
  public convenience init(_ string: String) {
    var string = string
    let raw = string.withUTF8 { bytes in
      bytes.withMemoryRebound(to: CChar.self) { jv_string_sized($0.baseAddress, Int32(bytes.count)) }
    }
    self.init(owning: raw)
  }

  /// A JSON array of the given elements.
  public convenience init(array elements: [JSONValue]) {
    var array = jv_array_sized(Int32(elements.count))
    for element in elements {
      array = jv_array_append(array, element.retained())
    }
    self.init(owning: array)
  }

  /// A JSON object with the given members, in order; a later duplicate key replaces an earlier one.
  public convenience init(object members: [(String, JSONValue)]) {
    var object = jv_object()
    for (key, value) in members {
      object = jv_object_set(object, JSONValue(key).retained(), value.retained())
    }
    self.init(owning: object)
  }
}

// MARK: - Reading values

extension JSONValue {
  /// jq's truthiness: only `false` and `null` are false.
  public var isTruthy: Bool {
    let kind = jv_get_kind(raw)
    return kind != JV_KIND_NULL && kind != JV_KIND_FALSE
  }

  /// The boolean, if this is one.
  public var boolValue: Bool? {
    switch jv_get_kind(raw) {
    case JV_KIND_TRUE: true
    case JV_KIND_FALSE: false
    default: nil
    }
  }

  /// The number, if this is one.
  public var numberValue: Double? {
    jv_get_kind(raw) == JV_KIND_NUMBER ? jv_number_value(raw) : nil
  }

  /// The string, if this is one.
  public var stringValue: String? {
    guard jv_get_kind(raw) == JV_KIND_STRING else { return nil }
    let length = Int(jv_string_length_bytes(jv_copy(raw)))
    guard let bytes = jv_string_value(raw) else { return "" }
    return bytes.withMemoryRebound(to: UInt8.self, capacity: length) {
      String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
    }
  }

  /// The elements, if this is an array.
  public var arrayElements: [JSONValue]? {
    guard jv_get_kind(raw) == JV_KIND_ARRAY else { return nil }
    let count = jv_array_length(jv_copy(raw))
    return (0..<count).map { JSONValue(owning: jv_array_get(jv_copy(raw), $0)) }
  }

  /// The members in insertion order, if this is an object.
  public var objectMembers: [(key: String, value: JSONValue)]? {
    guard jv_get_kind(raw) == JV_KIND_OBJECT else { return nil }
    var members: [(key: String, value: JSONValue)] = []
    var index = jv_object_iter(raw)
    while jv_object_iter_valid(raw, index) != 0 {
      let key = JSONValue(owning: jv_object_iter_key(raw, index))
      let value = JSONValue(owning: jv_object_iter_value(raw, index))
      members.append((key.stringValue ?? "", value))
      index = jv_object_iter_next(raw, index)
    }
    return members
  }

  /// The number of elements, members or bytes, like jq's `length` for containers and strings.
  public var count: Int? {
    switch jv_get_kind(raw) {
    case JV_KIND_ARRAY: Int(jv_array_length(jv_copy(raw)))
    case JV_KIND_OBJECT: Int(jv_object_length(jv_copy(raw)))
    case JV_KIND_STRING: Int(jv_string_length_codepoints(jv_copy(raw)))
    default: nil
    }
  }

  /// The member named `key` of an object (`nil` when absent or not an object).
  public subscript(key: String) -> JSONValue? {
    guard jv_get_kind(raw) == JV_KIND_OBJECT else { return nil }
    let member = jv_object_get(jv_copy(raw), JSONValue(key).retained())
    guard jv_is_valid(member) != 0 else {
      jv_free(member)
      return nil
    }
    return JSONValue(owning: member)
  }

  /// This object with `key` set to `value`; `nil` when this is not an object.
  public func setting(_ key: String, to value: JSONValue) -> JSONValue? {
    guard jv_get_kind(raw) == JV_KIND_OBJECT else { return nil }
    return JSONValue(owning: jv_object_set(retained(), JSONValue(key).retained(), value.retained()))
  }

  /// jq's `.[key]` on this value with jq's own semantics and error messages (`jv_get`).
  public func index(_ key: JSONValue) -> Result<JSONValue, JQError> {
    JSONValue.result(of: jv_get(retained(), key.retained()))
  }

  /// jq's total order of values (`jv_cmp`): negative, zero or positive.
  public func compare(to other: JSONValue) -> Int {
    Int(jv_cmp(retained(), other.retained()))
  }

  /// jq's equality (`jv_equal`).
  public func isEqual(to other: JSONValue) -> Bool {
    jv_equal(retained(), other.retained()) != 0
  }

  /// Wraps an owned result of a libjq call that may be invalid (an error) into a Swift result.
  static func result(of raw: jv) -> Result<JSONValue, JQError> {
    if jv_is_valid(raw) != 0 { return .success(JSONValue(owning: raw)) }
    return .failure(JQError(invalid: raw))
  }
}

extension JSONValue: CustomStringConvertible {
  /// The compact JSON text, as `jq -c` prints it.
  public var description: String {
    dumped(PrintOptions.compact)
  }
}
