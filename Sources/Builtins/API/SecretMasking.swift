import JQ

/// Hides secrets in values printed to the screen: `password`, key secrets, and the password inside
/// a `postgres://user:password@host` connection string. Variables keep the real values; only what
/// is displayed is masked (unless `--show-secrets`).
public enum SecretMasking {
  /// What a hidden secret prints as.
  public static let mask = "********"

  /// Keys whose string values are secrets.
  static func isSecretKey(_ key: String) -> Bool {
    let lowered = key.lowercased()
    return lowered == "password" || lowered == "keysecret" || lowered == "key_secret" || lowered == "secret"
      || lowered == "apisecret" || lowered == "token"
  }

  /// `value` with its secrets masked; the same value when it holds none (cheap for scalars).
  public static func masked(_ value: JSONValue) -> JSONValue {
    switch value.kind {
    case .object:
      guard let members = value.objectMembers else { return value }
      var changed = false
      let updated = members.map { member -> (String, JSONValue) in
        let replacement: JSONValue
        if isSecretKey(member.key), member.value.kind == .string {
          replacement = JSONValue(mask)
        } else if member.key == "connectionString", let text = member.value.stringValue {
          replacement = JSONValue(maskedConnectionString(text))
        } else {
          replacement = masked(member.value)
        }
        if replacement !== member.value { changed = true }
        return (member.key, replacement)
      }
      return changed ? JSONValue(object: updated) : value
    case .array:
      guard let elements = value.arrayElements else { return value }
      var changed = false
      let updated = elements.map { element -> JSONValue in
        let replacement = masked(element)
        if replacement !== element { changed = true }
        return replacement
      }
      return changed ? JSONValue(array: updated) : value
    default:
      return value
    }
  }

  /// `postgres://user:secret@host/db` → `postgres://user:********@host/db`.
  public static func maskedConnectionString(_ text: String) -> String {
    guard let scheme = text.range(of: "://") else { return text }
    let rest = text[scheme.upperBound...]
    guard let at = rest.lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") else { return text }
    return String(text[..<rest.index(after: colon)]) + mask + String(rest[at...])
  }
}
