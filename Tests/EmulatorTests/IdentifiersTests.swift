import FoundationEssentials
import Testing

@testable import Emulator

/// The emulator's random identifiers and the Basic header it expects, without a server.
@Suite("Identifiers and credentials")
struct IdentifiersTests {
  @Test func uuidsAreVersion4InCanonicalForm() {
    for _ in 0..<2_000 {
      let id = Identifiers.uuid()
      #expect(Identifiers.isUUID(id), "\(id)")
      #expect(id == id.lowercased())
      let characters = Array(id)
      #expect(characters[14] == "4", "version nibble of \(id)")
      #expect("89ab".contains(characters[19]), "variant nibble of \(id)")
      // Foundation reads it back as the same UUID.
      #expect(UUID(uuidString: id)?.uuidString.lowercased() == id)
    }
  }

  @Test func uuidsDiffer() {
    let ids = Set((0..<10_000).map { _ in Identifiers.uuid() })
    #expect(ids.count == 10_000)
  }

  @Test func uuidsUseEveryHexDigitInEveryFreePosition() {
    // A stuck nibble (a wrong shift or mask) would leave some position with fewer than 16 digits.
    var seen = Array(repeating: Set<Character>(), count: 36)
    for _ in 0..<4_000 {
      for (position, character) in Identifiers.uuid().enumerated() { seen[position].insert(character) }
    }
    for position in 0..<36 {
      switch position {
      case 8, 13, 18, 23: #expect(seen[position] == ["-"])
      case 14: #expect(seen[position] == ["4"])
      case 19: #expect(seen[position] == ["8", "9", "a", "b"])
      default: #expect(seen[position].count == 16, "position \(position)")
      }
    }
  }

  @Test func basicHeaderRoundTrips() {
    let key = APIKey(id: "91244ea17ed3c4ca42af", secret: "s3cr:et/+=")
    let header = BasicCredentials.header(for: key)
    #expect(header == "Basic " + Data("91244ea17ed3c4ca42af:s3cr:et/+=".utf8).base64EncodedString())
    #expect(header.hasPrefix("Basic OTEyNDRlYTE3ZWQzYzRjYTQyYWY6"))
  }
}
