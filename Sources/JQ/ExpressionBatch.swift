/// Many jq expressions compiled together as one program, so a script pays jq's compile cost once.
///
/// jq 1.6 spends about 20 ms per compile binding its builtins, and then about 5 µs for every bytecode
/// instruction of the program (each of its ~260 builtins walks the whole program, several times).
/// So the program is kept as small as the expressions allow: no `def` per expression and no call, but
/// the expressions themselves as the leaves of a tree of `if`s on the bits of the expression's index
/// (`$__mpg_z[k]`: bit k is zero), each taking its variables from an array passed as data:
///
///     . as [$__mpg_z, $__mpg_in, $__mpg_v] | $__mpg_in |
///     if $__mpg_z[1] then
///       if $__mpg_z[0] then (… expression 0 …) else ($__mpg_v as [$name, $n] | (
///     EXPRESSION 1
///     )) end
///     else (… expression 2 …) end
///
/// A loop that evaluates an expression a thousand times passes new values, never new text. The leaves
/// come in index order, so a compile error's line tells which expression it is in.
public final class ExpressionBatch: @unchecked Sendable {
  /// One expression to compile: its jq text and the variables it reads, in argument order.
  public struct Expression: Sendable, Equatable {
    /// jq text, exactly as written in the source.
    public var text: String
    /// Names (without `$`) bound from the arguments passed to `evaluate`, in order.
    public var parameters: [String]

    /// An expression with the given text and parameter names.
    public init(text: String, parameters: [String]) {
      self.text = text
      self.parameters = parameters
    }
  }

  /// A compile problem attributed to one expression of the batch.
  public struct Problem: Sendable, Equatable {
    /// Which expression (index into the batch) jq blamed.
    public var expression: Int
    /// The 0-based line inside that expression's text, when jq named one.
    public var lineInExpression: Int?
    /// The cleaned message.
    public var message: String
  }

  /// The compile failed; every problem that could be attributed is listed.
  public struct CompileFailure: Error, Sendable {
    /// The problems, in expression order.
    public var problems: [Problem]
  }

  private let program: JQProgram
  private let count: Int
  /// For each expression, whether each bit of its index is zero, least significant first (`$__mpg_z`).
  private let indexBits: [JSONValue]

  /// Compiles every expression into one program. On failure, each implicated expression is compiled
  /// on its own (only on this error path) so the messages name the right expression and line.
  public init(_ expressions: [Expression]) throws(CompileFailure) {
    precondition(!expressions.isEmpty, "a batch needs at least one expression")
    let (source, startLines) = ExpressionBatch.programText(for: expressions)
    count = expressions.count
    indexBits = (0..<expressions.count).map { index in
      JSONValue(array: (0..<ExpressionBatch.bitCount(expressions.count)).map { JSONValue(index >> $0 & 1 == 0) })
    }
    do {
      program = try JQProgram(source)
    } catch {
      throw ExpressionBatch.allProblems(error, in: expressions, startLines: startLines)
    }
  }

  /// jq stops at its first syntax error, so after attributing the problems it reported, the
  /// expressions not yet blamed are compiled again (recursively) to find theirs too.
  private static func allProblems(_ error: JQCompileError, in expressions: [Expression], startLines: [Int]) -> CompileFailure {
    var problems = attribute(error, in: expressions, startLines: startLines).problems
    let remaining = expressions.indices.filter { index in !problems.contains { $0.expression == index } }
    if !remaining.isEmpty, remaining.count < expressions.count {
      do {
        _ = try ExpressionBatch(remaining.map { expressions[$0] })
      } catch {
        problems += error.problems.map {
          Problem(expression: remaining[$0.expression], lineInExpression: $0.lineInExpression, message: $0.message)
        }
      }
    }
    return CompileFailure(problems: problems.sorted { $0.expression < $1.expression })
  }

  /// Evaluates expression `index` on `input` with `arguments` bound to its parameters, collecting
  /// every output.
  public func evaluate(_ index: Int, input: JSONValue, arguments: [JSONValue]) throws(JQRunError) -> [JSONValue] {
    precondition(index >= 0 && index < count, "expression index out of range")
    let request = JSONValue(array: [indexBits[index], input, JSONValue(array: arguments)])
    return try program.outputs(for: request)
  }

  /// Evaluates expression `index` and hands each output to `body` as soon as jq produces it.
  /// `body` must not evaluate anything else in this batch.
  /// `isCancelled` is asked once the run has started: starting a run clears any earlier halt, so a
  /// Ctrl-C that landed just before the start would otherwise be lost.
  public func stream(
    _ index: Int, input: JSONValue, arguments: [JSONValue], isCancelled: () -> Bool = { false },
    _ body: (JSONValue) throws -> Void
  ) throws {
    precondition(index >= 0 && index < count, "expression index out of range")
    program.start(JSONValue(array: [indexBits[index], input, JSONValue(array: arguments)]))
    if isCancelled() { program.requestHalt() }
    while let output = try program.next() { try body(output) }
  }

  /// Stops a running evaluation (for Ctrl-C); safe from another thread.
  public func requestHalt() {
    program.requestHalt()
  }

  /// Compiles a single expression on its own (the error path, and for callers that need one).
  public static func check(_ expression: Expression) -> [JQCompileError.Diagnostic] {
    do {
      _ = try ExpressionBatch([expression])
      return []
    } catch {
      return error.problems.map { .init(message: $0.message, line: $0.lineInExpression.map { $0 + 1 }) }
    }
  }

  static func programText(for expressions: [Expression]) -> (String, [Int]) {
    var text = ". as [$__mpg_z, $__mpg_in, $__mpg_v] | $__mpg_in | "
    var line = 1
    var startLines = Array(repeating: 0, count: expressions.count)
    /// Expressions `lower..<upper` (which agree on every bit above the highest one they differ in).
    func dispatch(_ lower: Int, _ upper: Int) {
      if upper - lower == 1 {
        leaf(lower)
        return
      }
      let bit = Int.bitWidth - 1 - (lower ^ (upper - 1)).leadingZeroBitCount
      let middle = ((upper - 1) >> bit) << bit
      text += "if $__mpg_z[\(bit)] then "
      dispatch(lower, middle)
      text += " else "
      dispatch(middle, upper)
      text += " end"
    }
    func leaf(_ index: Int) {
      let expression = expressions[index]
      text += "("
      if !expression.parameters.isEmpty {
        text += "$__mpg_v as [" + expression.parameters.map { "$" + $0 }.joined(separator: ", ") + "] | "
      }
      text += "(\n"
      line += 1
      startLines[index] = line
      text += expression.text
      line += expression.text.utf8.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
      text += "\n))"
      line += 1
    }
    dispatch(0, expressions.count)
    return (text, startLines)
  }

  /// How many bits the largest index of `count` expressions needs (at least one).
  static func bitCount(_ count: Int) -> Int {
    max(1, Int.bitWidth - (count - 1).leadingZeroBitCount)
  }

  private static func attribute(_ error: JQCompileError, in expressions: [Expression], startLines: [Int]) -> CompileFailure {
    func owner(ofLine line: Int) -> (Int, Int)? {
      guard let index = startLines.lastIndex(where: { $0 <= line }) else { return nil }
      return (index, line - startLines[index])
    }
    if expressions.count == 1 {
      let closingLine = expressions[0].text.utf8.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
      let wrapperParenthesis = "syntax error, unexpected ')'"
      return CompileFailure(
        problems: error.diagnostics.map {
          let line = $0.line.flatMap { owner(ofLine: $0)?.1 }
          var message = $0.message
          // jq reached the `)` that closes the wrapper: the user's expression simply ended too early.
          if line == closingLine, message.hasPrefix(wrapperParenthesis) {
            message = "syntax error, unexpected end of the expression" + message.dropFirst(wrapperParenthesis.count)
          }
          return Problem(expression: 0, lineInExpression: line, message: message)
        })
    }
    // A batch can blame the wrong place after an error (jq's parser recovers loosely), so each
    // implicated expression is compiled alone; its own diagnostics are the truth.
    var implicated = Set(error.diagnostics.compactMap { $0.line.flatMap { owner(ofLine: $0)?.0 } })
    if implicated.isEmpty { implicated = Set(expressions.indices) }
    var problems: [Problem] = []
    for index in implicated.sorted() {
      do {
        _ = try ExpressionBatch([expressions[index]])
      } catch {
        problems += error.problems.map { Problem(expression: index, lineInExpression: $0.lineInExpression, message: $0.message) }
      }
    }
    if problems.isEmpty {
      problems = error.diagnostics.map {
        let place = $0.line.flatMap { owner(ofLine: $0) }
        return Problem(expression: place?.0 ?? 0, lineInExpression: place?.1, message: $0.message)
      }
    }
    return CompileFailure(problems: problems)
  }
}
