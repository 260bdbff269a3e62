import Testing
@testable import JQ

@Suite("PackedValues")
struct PackedValuesTests {
  @Test func readsBackTheSameValuesInOrder() throws {
    let texts = [
      #""id-1""#, #""""#, #""é 日本 \u0000 \"q\" \\ \n""#, "0", "-0", "1.5e300", "-2.25", "true", "false", "null",
      "[]", "{}", #"[1,"two",{"three":[3]}]"#, #"{"b":1,"a":[true,false],"c":{"d":"null in a string"}}"#,
      #"{"a":null}"#, "[null]", "1e1000",
    ]
    var packed = PackedValues()
    let values = try texts.map { try JSONValue(parsing: $0) }
    for value in values { packed.append(value) }
    #expect(packed.count == values.count)
    let back = packed.values
    for (original, copy) in zip(values, back) {
      #expect(copy.kind == original.kind)
      #expect(copy.isEqual(to: original), "\(original)")
      #expect(copy.dumped(PrintOptions(indent: 0, color: true)) == original.dumped(PrintOptions(indent: 0, color: true)))
    }
  }

  /// jq prints NaN as `null`, so NaN must not go through text: alone or inside a container.
  @Test func keepsNaNAsNaN() throws {
    let program = try JQProgram("nan, [nan, 1], {a: nan}")
    var packed = PackedValues()
    for value in try program.outputs(for: .null) { packed.append(value) }
    let back = packed.values
    #expect(back[0].kind == .number)
    #expect(back[0].numberValue?.isNaN == true)
    #expect(back[1].arrayElements?[0].numberValue?.isNaN == true)
    #expect(back[2]["a"]?.numberValue?.isNaN == true)
  }
}
