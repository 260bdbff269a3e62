import JQ

/// Hides secrets in values printed to the screen: `password`, key secrets, the password inside a
/// `postgres://user:password@host` connection string, and any string holding a secret the process has
/// seen (`SecretRegistry`). Variables keep the real values; only what is displayed is masked (unless
/// `--show-secrets`).
public enum SecretMasking {
  /// What a hidden secret prints as.
  public static let mask = "********"

  /// Keys whose string values are secrets.
  static func isSecretKey(_ key: String) -> Bool {
    let lowered = key.lowercased()
    return lowered == "password" || lowered == "keysecret" || lowered == "key_secret" || lowered == "secret"
      || lowered == "apisecret" || lowered == "token"
  }

  /// `value` with its secrets masked; the same value when it holds none (cheap for scalars). With a
  /// registry, strings that contain one of its secrets are masked too.
  public static func masked(_ value: JSONValue, registry: SecretRegistry? = nil) -> JSONValue {
    let registry = registry.flatMap { $0.isEmpty ? nil : $0 }
    return masked(value, nonEmpty: registry)
  }

  private static func masked(_ value: JSONValue, nonEmpty registry: SecretRegistry?) -> JSONValue {
    switch value.kind {
    case .string:
      guard let registry, let text = value.stringValue else { return value }
      let shown = registry.masking(text)
      return shown == text ? value : JSONValue(shown)
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
          replacement = masked(member.value, nonEmpty: registry)
        }
        if replacement !== member.value { changed = true }
        return (member.key, replacement)
      }
      return changed ? JSONValue(object: updated) : value
    case .array:
      guard let elements = value.arrayElements else { return value }
      var changed = false
      let updated = elements.map { element -> JSONValue in
        let replacement = masked(element, nonEmpty: registry)
        if replacement !== element { changed = true }
        return replacement
      }
      return changed ? JSONValue(array: updated) : value
    default:
      return value
    }
  }

  /// `secret` of `postgres://user:secret@host/db`, if the string has a password.
  static func password(inConnectionString text: String) -> String? {
    guard let scheme = text.range(of: "://") else { return nil }
    let rest = text[scheme.upperBound...]
    guard let at = rest.lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") else { return nil }
    return String(rest[rest.index(after: colon)..<at])
  }

  /// `postgres://user:secret@host/db` → `postgres://user:********@host/db`.
  public static func maskedConnectionString(_ text: String) -> String {
    guard let scheme = text.range(of: "://") else { return text }
    let rest = text[scheme.upperBound...]
    guard let at = rest.lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") else { return text }
    return String(text[..<rest.index(after: colon)]) + mask + String(rest[at...])
  }
}
