/// Random identifiers in the formats the Cloud API uses.
enum Identifiers {
  /// A random UUID version 4, lowercase, e.g. `0c5d1e2a-7d3b-4b8e-9a51-1f2e3d4c5b6a`.
  static func uuid() -> String {
    var generator = SystemRandomNumberGenerator()
    var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
    bytes[6] = (bytes[6] & 0x0F) | 0x40
    bytes[8] = (bytes[8] & 0x3F) | 0x80
    let hex = bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    let characters = Array(hex)
    return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
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
    var characters = [lower.randomElement(using: &generator)!, upper.randomElement(using: &generator)!, digits.randomElement(using: &generator)!]
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
