import JQ
import Synchronization

/// Every secret this process has seen — the API key's secret, each password the API answered (alone or
/// inside a connection string) or the vault gave back — so that printing can mask it wherever it turns up (a bare
/// `$pg.password`, an `echo`, an error message), as CI systems mask the secrets registered with them.
public final class SecretRegistry: Sendable {
  private let secrets = Mutex<[String]>([])
  /// How many secrets there are, read without the lock: printing checks it for every value and line.
  private let count = Atomic<Int>(0)

  /// An empty registry.
  public init() {}

  /// Shorter strings are not masked: they would hide ordinary text (the API's passwords have 12 or more
  /// characters, key secrets far more).
  static let shortest = 8

  /// Remembers `secret`.
  public func register(_ secret: String) {
    guard secret.utf8.count >= Self.shortest else { return }
    secrets.withLock { known in
      if !known.contains(secret) {
        known.append(secret)
        count.store(known.count, ordering: .releasing)
      }
    }
  }

  /// Remembers the secrets in an API answer: values of secret keys (`password`, …) and the passwords
  /// inside connection strings, at any depth.
  public func register(secretsIn value: JSONValue) {
    switch value.kind {
    case .object:
      for (key, member) in value.objectMembers ?? [] {
        if let text = member.stringValue {
          if SecretMasking.isSecretKey(key) { register(text) }
          // The password inside, so a printed connection string still shows where it leads.
          if key == "connectionString", let password = SecretMasking.password(inConnectionString: text) { register(password) }
        } else {
          register(secretsIn: member)
        }
      }
    case .array:
      for element in value.arrayElements ?? [] { register(secretsIn: element) }
    default:
      break
    }
  }

  /// Whether nothing has been registered (printing then has nothing to look for).
  public var isEmpty: Bool { count.load(ordering: .acquiring) == 0 }

  /// `text` with every registered secret replaced by the mask, longer secrets first (one may hold another).
  public func masking(_ text: String) -> String {
    guard !isEmpty else { return text }
    let known = secrets.withLock { $0 }
    guard !known.isEmpty else { return text }
    var result = text
    for secret in known.sorted(by: { $0.utf8.count > $1.utf8.count }) where result.contains(secret) {
      result = result.replacingAll(secret, with: SecretMasking.mask)
    }
    return result
  }
}
