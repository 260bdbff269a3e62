import Testing

@testable import PostgresCluster

@Suite("Quoting")
struct QuotingTests {
  @Test(arguments: [
    ("plain", "'plain'"),
    ("it's", "'it''s'"),
    ("''", "''''''"),
    (#"back\slash"#, #"'back\slash'"#),
    ("'\u{301}", "'''\u{301}'"),  // a quote plus a combining mark is one Character but still a quote byte
  ])
  func literals(text: String, quoted: String) throws {
    #expect(try SQLQuoting.literal(text) == quoted)
  }

  @Test(arguments: [("postgres", #""postgres""#), (#"we"ird"#, #""we""ird""#), ("Mixed Case", #""Mixed Case""#)])
  func identifiers(name: String, quoted: String) throws {
    #expect(try SQLQuoting.identifier(name) == quoted)
  }

  @Test func nulIsRejected() {
    #expect(throws: ClusterError.self) { try SQLQuoting.literal("a\0b") }
    #expect(throws: ClusterError.self) { try SQLQuoting.identifier("") }
  }

  @Test(arguments: [
    ("work_mem", #""work_mem""#),
    ("Work_Mem", #""work_mem""#),
    ("pg_stat_statements.max", #""pg_stat_statements"."max""#),
  ])
  func parameterNames(name: String, quoted: String) {
    #expect(SQLQuoting.parameterName(name) == quoted)
  }

  @Test(arguments: ["", "1abc", "work mem", "a.b.c", "x;drop", "a..b", "work_mem'", "é"])
  func malformedParameterNames(name: String) {
    #expect(SQLQuoting.parameterName(name) == nil)
  }

  @Test func configurationValuesRoundTrip() throws {
    let values = ["127.0.0.1", #"/tmp/it's \ here"#, ""]
    var text = "# comment\n"
    for (index, value) in values.enumerated() { text += "key\(index) = \(try ConfigurationFile.quote(value))\n" }
    text += "port = 5432\n"
    let parsed = ConfigurationFile.parse(text)
    for (index, value) in values.enumerated() { #expect(parsed["key\(index)"] == value) }
    #expect(parsed["port"] == "5432")
    #expect(throws: ClusterError.self) { try ConfigurationFile.quote("two\nlines") }
  }
}
