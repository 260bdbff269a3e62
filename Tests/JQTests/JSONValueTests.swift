import Testing
@testable import JQ

@Suite("JSONValue")
struct JSONValueTests {
  @Test func parsesWithJQsParser() throws {
    let value = try JSONValue(parsing: #"{"a": [1, 2.5, "x", null, true]}"#)
    #expect(value.kind == .object)
    #expect(value["a"]?.count == 5)
    #expect(value["a"]?.arrayElements?[1].numberValue == 2.5)
    #expect(value["a"]?.arrayElements?[2].stringValue == "x")
    #expect(value["missing"] == nil)
  }

  @Test(arguments: ["", "{", "[1,]", "nul", "\"abc"])
  func rejectsInvalidJSONWithJQsMessage(_ text: String) {
    #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
  }

  @Test func printsLikeJQ() throws {
    let value = try JSONValue(parsing: #"{"b": 1, "a": [1, {"c": "é"}]}"#)
    #expect(value.dumped(.compact) == #"{"b":1,"a":[1,{"c":"é"}]}"#)
    #expect(value.dumped(.pretty) == "{\n  \"b\": 1,\n  \"a\": [\n    1,\n    {\n      \"c\": \"é\"\n    }\n  ]\n}")
    #expect(value.dumped(PrintOptions(indent: 0, sortKeys: true)) == #"{"a":[1,{"c":"é"}],"b":1}"#)
    #expect(value.dumped(PrintOptions(indent: 0, asciiOnly: true)).contains(#"\u00e9"#))
    #expect(JSONValue("line").dumped(PrintOptions(rawStrings: true)) == "line")
    #expect(JSONValue(3.0).description == "3")
  }

  @Test func colourUsesJQsPalette() {
    let text = JSONValue(object: [("a", JSONValue(1))]).dumped(PrintOptions(indent: 0, color: true))
    #expect(text.contains("\u{1B}["))
  }

  @Test func buildsArraysAndObjectsInOrder() {
    let object = JSONValue(object: [("z", JSONValue(1)), ("a", JSONValue("x")), ("z", JSONValue(2))])
    #expect(object.description == #"{"z":2,"a":"x"}"#)
    #expect(object.objectMembers?.map(\.key) == ["z", "a"])
    #expect(JSONValue(array: [.null, JSONValue(true)]).description == "[null,true]")
    #expect(object.setting("b", to: .null)?.description == #"{"z":2,"a":"x","b":null}"#)
  }

  @Test func truthinessIsJQs() {
    #expect(!JSONValue.null.isTruthy)
    #expect(!JSONValue(false).isTruthy)
    #expect(JSONValue(0).isTruthy)
    #expect(JSONValue("").isTruthy)
    #expect(JSONValue(array: []).isTruthy)
  }

  @Test func indexAndCompareUseJQsFunctions() throws {
    let array = try JSONValue(parsing: "[10, 20, 30]")
    #expect(try array.index(JSONValue(-1)).get().description == "30")
    #expect(try JSONValue.null.index(JSONValue("a")).get().kind == .null)
    guard case .failure(let error) = JSONValue(1).index(JSONValue("a")) else {
      Issue.record("indexing a number should fail")
      return
    }
    #expect(error.message == #"Cannot index number with string "a""#)
    // jq's order: null < false < true < numbers < strings < arrays < objects
    #expect(JSONValue.null.compare(to: JSONValue(false)) < 0)
    #expect(JSONValue(100).compare(to: JSONValue("1")) < 0)
    #expect(try JSONValue(parsing: "[1,2]").isEqual(to: try JSONValue(parsing: "[1, 2]")))
  }

  @Test func streamingParserHandlesManyValuesAcrossChunks() throws {
    var text = ""
    for index in 0..<5000 { text += #"{"i": \#(index), "s": "\#(String(repeating: "x", count: index % 40))"} "# }
    let values = try JSONValue.parseAll(Array(text.utf8))
    #expect(values.count == 5000)
    #expect(values[4999]["i"]?.numberValue == 4999)
  }

  @Test func operatorsMatchJQOrDecline() throws {
    #expect(JSONValue(1).jqPlus(JSONValue(2))?.description == "3")
    #expect(JSONValue.null.jqPlus(JSONValue("a"))?.description == #""a""#)
    #expect(try JSONValue(parsing: #"{"a":1}"#).jqPlus(try JSONValue(parsing: #"{"b":2}"#))?.description == #"{"a":1,"b":2}"#)
    #expect(JSONValue(1).jqPlus(JSONValue("a")) == nil)
    #expect(JSONValue(1).jqDivide(JSONValue(0)) == nil)
    #expect(JSONValue(0).jqNegate()?.description == "-0")
    #expect(try JSONValue(parsing: "[1,{}]").jqToString().stringValue == "[1,{}]")
  }
}
