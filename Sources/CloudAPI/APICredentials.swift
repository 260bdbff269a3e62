/// An API key: its id and secret, sent as HTTP Basic credentials. Never printed in full.
public struct APICredentials: Sendable, Equatable, CustomStringConvertible {
  /// The key id (the Basic user name).
  public var keyID: String
  /// The key secret (the Basic password).
  public var keySecret: String

  /// A key with the given id and secret.
  public init(keyID: String, keySecret: String) {
    self.keyID = keyID
    self.keySecret = keySecret
  }

  /// `Basic base64(id:secret)`.
  var authorizationHeader: String {
    "Basic " + Base64.encode(Array("\(keyID):\(keySecret)".utf8))
  }

  /// The id with the secret masked, safe for logs and messages.
  public var description: String { "\(keyID):********" }
}

/// Standard base64 (RFC 4648) for the Basic header; small enough not to need a package.
enum Base64 {
  private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  static func encode(_ bytes: [UInt8]) -> String {
    var output: [UInt8] = []
    output.reserveCapacity((bytes.count + 2) / 3 * 4)
    var index = 0
    while index < bytes.count {
      let chunk = bytes[index..<min(index + 3, bytes.count)]
      var value = UInt32(0)
      for (offset, byte) in chunk.enumerated() { value |= UInt32(byte) << (16 - 8 * offset) }
      for position in 0..<4 {
        if position <= chunk.count {
          output.append(alphabet[Int((value >> (18 - 6 * position)) & 0x3F)])
        } else {
          output.append(UInt8(ascii: "="))
        }
      }
      index += 3
    }
    return String(decoding: output, as: UTF8.self)
  }
}
