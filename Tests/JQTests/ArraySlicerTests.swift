#if canImport(Glibc)
  import Glibc
#endif
import Testing
@testable import JQ

@Suite("ArraySlicer")
struct ArraySlicerTests {
  /// Slices `text` read `step` bytes at a time; the elements of every slice, compact, or `nil` when
  /// the slicer gave up.
  private func elements(of text: String, step: Int, chunkSize: Int = 16) -> [String]? {
    let bytes = Array(text.utf8)
    var offset = 0
    var elements: [String] = []
    let complete = ArraySlicer(chunkSize: chunkSize).slices(read: { buffer in
      let count = min(step, buffer.count, bytes.count - offset)
      buffer.copyBytes(from: bytes[offset..<(offset + count)])
      offset += count
      return count
    }) { slice in
      #expect(slice.count ?? 0 > 0, "a slice holds at least one element")
      elements += slice.arrayElements!.map(\.description)
    }
    return complete ? elements : nil
  }

  /// What jq's parser makes of the whole text, when it is exactly one array.
  private func wholeArray(_ text: String) -> [String]? {
    guard let values = try? JSONValue.parseAll(Array(text.utf8)), values.count == 1 else { return nil }
    return values[0].arrayElements?.map(\.description)
  }

  static let validArrays = [
    "[]", " [ ] ", "\t[\r\n]\n", "[1]", "[1,2,3]", " [ 1 , 2 ,\n3 ] \n",
    #"[{"a": "x\"]}", "b": [1, [2, {"c": "[{,"}]]}, "str\\", [], {}, "\u005d", 1e3, -0.5, null, true]"#,
    #"["\\", "\\\"", "\"[", ",", "]", "}", "{"]"#,
    #"[[[[[]]]], {"a": {"b": {"c": [1, {"d": ","}]}}}]"#,
    #"["é", "日本", "\ud83d\ude00", "données"]"#,
    "[\"" + String(repeating: "long ", count: 40) + "\", 2]",
  ]

  @Test(arguments: validArrays)
  func slicesMatchTheWholeArray(_ text: String) throws {
    let expected = try #require(wholeArray(text))
    for step in [1, 2, 3, 5, 8, 64, 1 << 16] {
      #expect(elements(of: text, step: step) == expected, "read \(step) bytes at a time")
    }
  }

  @Test(arguments: [
    "", "   ", "{}", "1", "\"[1]\"", "null", "[", "[1", "[1,", "[1,]", "[,]", "[,1]", "[1,,2]", "[1 2]",
    "[1] [2]", "[1]x", "[1]]", "[1}", "[{]}", "[[}]", "[\"a]", "[\"\\\"]", "[tru]", "[{\"a\" 1}]",
    "\u{FEFF}[1]", "[1]\u{0C}",
  ])
  func anythingButOneArrayGivesUp(_ text: String) {
    for step in [1, 3, 1 << 16] {
      #expect(elements(of: text, step: step) == nil, "read \(step) bytes at a time")
    }
  }

  /// Random damage to valid arrays: whatever the slicer accepts, jq's parser must read as the same
  /// single array, so a mis-split can never change what a script sees.
  @Test func acceptsOnlyWhatJQAcceptsWhole() {
    let alphabet = Array(#"[]{}",:\ a1e.-"#.utf8) + [0x0A]
    var random = SplitMix(seed: 0x5EED)
    var accepted = 0
    for index in 0..<4000 {
      var bytes = Array(ArraySlicerTests.validArrays[index % ArraySlicerTests.validArrays.count].utf8)
      for _ in 0...Int(random.next() % 3) {
        let position = Int(random.next() % UInt64(bytes.count + 1))
        let byte = alphabet[Int(random.next() % UInt64(alphabet.count))]
        switch random.next() % 3 {
        case 0 where position < bytes.count: bytes.remove(at: position)
        case 1 where position < bytes.count: bytes[position] = byte
        default: bytes.insert(byte, at: position)
        }
      }
      let text = String(decoding: bytes, as: UTF8.self)
      guard let sliced = elements(of: text, step: 1 + Int(random.next() % 7), chunkSize: 8) else { continue }
      accepted += 1
      #expect(sliced == wholeArray(text), "case \(index): \(text)")
    }
    #expect(accepted > 100, "the damage left enough valid arrays to compare")
  }

  @Test func readsFilesAndRefusesWhatCannotBeReadTwice() throws {
    let path = "/tmp/mpg-slicer-\(getpid()).json"
    defer { unlink(path) }
    let text = "[" + (0..<50_000).map { #"{"id": \#($0), "s": "x,]\"y"}"# }.joined(separator: ",\n") + "]\n"
    let file = try #require(fopen(path, "w"))
    fputs(text, file)
    fclose(file)
    var count = 0
    var slices = 0
    let complete = JSONValue.forEachArraySlice(inFileAtPath: path) { slice in
      count += slice.count ?? 0
      slices += 1
    }
    #expect(complete)
    #expect(count == 50_000)
    #expect(slices > 1, "a large file comes in several slices")
    #expect(!JSONValue.forEachArraySlice(inFileAtPath: "/dev/null") { _ in })
    #expect(!JSONValue.forEachArraySlice(inFileAtPath: "/nonexistent/file.json") { _ in })
  }

  @Test func passesOnWhatTheBodyThrows() {
    struct Stop: Error {}
    #expect(throws: Stop.self) {
      _ = try ArraySlicer().slices(read: { buffer in
        buffer.copyBytes(from: "[1]".utf8)
        return 3
      }) { _ in throw Stop() }
    }
  }
}

/// SplitMix64: a seeded generator, so a failing case reproduces.
private struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
