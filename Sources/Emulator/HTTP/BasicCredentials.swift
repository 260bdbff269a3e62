import FoundationEssentials
import Hummingbird

/// The key id and secret of an `Authorization: Basic …` header.
enum BasicCredentials {
  /// The decoded pair, or `nil` when the header is missing or malformed.
  static func from(_ request: Request) -> APIKey? {
    guard let header = request.headers[.authorization], header.lowercased().hasPrefix("basic ") else { return nil }
    let encoded = header.dropFirst(6).trimmingCharacters(in: .whitespaces)
    guard let data = Data(base64Encoded: encoded), let text = String(data: data, encoding: .utf8),
      let colon = text.firstIndex(of: ":")
    else { return nil }
    return APIKey(id: String(text[..<colon]), secret: String(text[text.index(after: colon)...]))
  }

  /// The header a client sends for `key`.
  static func header(for key: APIKey) -> String {
    "Basic " + Data("\(key.id):\(key.secret)".utf8).base64EncodedString()
  }
}
