import JQ

/// A jq expression simple enough to evaluate without jq: literals, `$var` and `.` with field and
/// index paths, string interpolation, array and object construction, arithmetic, comparison,
/// `and`, `or`, `//` and `map(…)` of those over an array, each single-valued.
///
/// Why: jq 1.6 spends about 25 ms compiling its builtins for every program, which would dominate a
/// script made of `let i = $i + 1` and `echo "hello \($name)"`. Every operation here delegates to the
/// same libjq functions jq uses (`jv_get`, `jv_cmp`, `jv_equal`, `jv_dump_string`, …) or to the same
/// IEEE arithmetic, and answers `nil` (meaning "ask jq") for anything that would raise an error, so
/// results and errors stay jq's own. The differential test checks this against the jq CLI.
indirect enum NativeExpression {
  case literal(JSONValue)
  case variable(String)
  case identity
  case index(NativeExpression, NativeExpression)
  case interpolation([NativeExpression])  // parts: literal strings and expressions to `tostring`
  case array([NativeExpression])
  case object([(key: NativeExpression, value: NativeExpression)])
  case negate(NativeExpression)
  case binary(BinaryOperator, NativeExpression, NativeExpression)
  /// `map(f)` on an array: `[.[] | f]` (objects and errors go to jq).
  case map(NativeExpression)

  enum BinaryOperator: String {
    case plus = "+", minus = "-", times = "*", divide = "/"
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case and, or
    case alternative = "//"
  }

  /// Whether the value is fixed at compile time: no `.` and no `$var` anywhere inside. jq 1.6 folds
  /// some operators on constants while compiling, with rules of its own; the parser leaves those
  /// cases to jq.
  var isConstant: Bool {
    switch self {
    case .literal: return true
    case .variable, .identity: return false
    case .index(let base, let key): return base.isConstant && key.isConstant
    case .interpolation(let parts), .array(let parts): return parts.allSatisfy(\.isConstant)
    case .object(let members): return members.allSatisfy { $0.key.isConstant && $0.value.isConstant }
    case .negate(let operand): return operand.isConstant
    case .binary(_, let left, let right): return left.isConstant && right.isConstant
    case .map: return false
    }
  }

  /// Evaluates with `variables` supplying `$name` values and `input` as `.`; `nil` means "ask jq".
  func evaluate(input: JSONValue, variables: (String) -> JSONValue?) -> JSONValue? {
    switch self {
    case .literal(let value):
      return value
    case .variable(let name):
      return variables(name)
    case .identity:
      return input
    case .index(let base, let key):
      guard let base = base.evaluate(input: input, variables: variables),
        let key = key.evaluate(input: input, variables: variables)
      else { return nil }
      guard key.kind == .string || key.kind == .number else { return nil }
      return try? base.index(key).get()
    case .interpolation(let parts):
      var result = JSONValue("")
      for part in parts {
        guard let value = part.evaluate(input: input, variables: variables),
          let joined = result.jqPlus(value.jqToString())
        else { return nil }
        result = joined
      }
      return result
    case .array(let elements):
      var values: [JSONValue] = []
      for element in elements {
        guard let value = element.evaluate(input: input, variables: variables) else { return nil }
        values.append(value)
      }
      return JSONValue(array: values)
    case .object(let members):
      var pairs: [(String, JSONValue)] = []
      for member in members {
        guard let key = member.key.evaluate(input: input, variables: variables)?.stringValue,
          let value = member.value.evaluate(input: input, variables: variables)
        else { return nil }
        pairs.append((key, value))
      }
      return JSONValue(object: pairs)
    case .negate(let operand):
      return operand.evaluate(input: input, variables: variables)?.jqNegate()
    case .binary(let op, let left, let right):
      return evaluate(op, left, right, input: input, variables: variables)
    case .map(let transform):
      // `list | map(.id)` is the commonest filter of all; an object's values keep to jq's own order.
      guard let elements = input.arrayElements else { return nil }
      var values: [JSONValue] = []
      values.reserveCapacity(elements.count)
      for element in elements {
        guard let value = transform.evaluate(input: element, variables: variables) else { return nil }
        values.append(value)
      }
      return JSONValue(array: values)
    }
  }

  private func evaluate(
    _ op: BinaryOperator, _ left: NativeExpression, _ right: NativeExpression, input: JSONValue, variables: (String) -> JSONValue?
  ) -> JSONValue? {
    guard let lhs = left.evaluate(input: input, variables: variables) else { return nil }
    switch op {
    case .and:
      if !lhs.isTruthy { return JSONValue(false) }
      return right.evaluate(input: input, variables: variables).map { JSONValue($0.isTruthy) }
    case .or:
      if lhs.isTruthy { return JSONValue(true) }
      return right.evaluate(input: input, variables: variables).map { JSONValue($0.isTruthy) }
    case .alternative:
      return lhs.isTruthy ? lhs : right.evaluate(input: input, variables: variables)
    default:
      break
    }
    guard let rhs = right.evaluate(input: input, variables: variables) else { return nil }
    switch op {
    case .plus: return lhs.jqPlus(rhs)
    case .minus: return lhs.jqMinus(rhs)
    case .times: return lhs.jqMultiply(rhs)
    case .divide: return lhs.jqDivide(rhs)
    case .equal: return JSONValue(lhs.isEqual(to: rhs))
    case .notEqual: return JSONValue(!lhs.isEqual(to: rhs))
    case .less: return JSONValue(lhs.compare(to: rhs) < 0)
    case .lessOrEqual: return JSONValue(lhs.compare(to: rhs) <= 0)
    case .greater: return JSONValue(lhs.compare(to: rhs) > 0)
    case .greaterOrEqual: return JSONValue(lhs.compare(to: rhs) >= 0)
    case .and, .or, .alternative: return nil
    }
  }
}
