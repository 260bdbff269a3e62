/// Random identifiers in the formats the Cloud API uses.
enum Identifiers {
  /// A random UUID version 4, lowercase, e.g. `0c5d1e2a-7d3b-4b8e-9a51-1f2e3d4c5b6a`. Every request
  /// gets one as its id, so it takes two 64-bit draws (one `getrandom` each) rather than one per byte.
  static func uuid() -> String {
    var generator = SystemRandomNumberGenerator()
    var high = generator.next() as UInt64, low = generator.next() as UInt64
    high = (high & ~0xF000) | 0x4000  // version 4 (byte 6)
    low = (low & ~(0xC0 << 56)) | (0x80 << 56)  // variant 10 (byte 8)
    let digits = Array("0123456789abcdef".utf8)
    return String(unsafeUninitializedCapacity: 36) { text in
      var position = 0
      for (word, range) in [(high, 0..<16), (low, 16..<32)] {
        for index in range {
          if index == 8 || index == 12 || index == 16 || index == 20 {
            text[position] = UInt8(ascii: "-")
            position += 1
          }
          let shift = UInt64(60 - 4 * (index % 16))
          text[position] = digits[Int((word >> shift) & 0xF)]
          position += 1
        }
      }
      return position
    }
  }

  /// Whether `text` is a UUID in canonical form (any version).
  static func isUUID(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    guard bytes.count == 36 else { return false }
    for (index, byte) in bytes.enumerated() {
      if [8, 13, 18, 23].contains(index) {
        if byte != 0x2D { return false }
      } else if !((0x30...0x39).contains(byte) || (0x61...0x66).contains(byte) || (0x41...0x46).contains(byte)) {
        return false
      }
    }
    return true
  }

  /// A password that meets the API's rules: 24 characters with lower, upper and digits.
  static func password() -> String {
    let lower = Array("abcdefghijkmnopqrstuvwxyz"), upper = Array("ABCDEFGHJKLMNPQRSTUVWXYZ"), digits = Array("23456789")
    let all = lower + upper + digits
    var generator = SystemRandomNumberGenerator()
    var characters = [
      lower.randomElement(using: &generator)!, upper.randomElement(using: &generator)!, digits.randomElement(using: &generator)!,
    ]
    while characters.count < 24 { characters.append(all.randomElement(using: &generator)!) }
    characters.shuffle(using: &generator)
    return String(characters)
  }

  /// A random hex token of `bytes` bytes (API key ids and secrets).
  static func token(bytes: Int) -> String {
    var generator = SystemRandomNumberGenerator()
    return (0..<bytes).map { _ in String(UInt8.random(in: 0...255, using: &generator), radix: 16).leftPadded(to: 2) }.joined()
  }
}

extension String {
  func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}
