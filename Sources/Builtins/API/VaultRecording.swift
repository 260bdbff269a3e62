import CloudAPI
import Interpreter
import JQ
import Outcomes

/// Keeps the password of a create or password-reset answer in the vault: the live API shows it
/// nowhere else.
enum VaultRecording {
  /// Stores the password in `result` (if any); user and port come from the answer's connection
  /// string, else from what the vault already knew of the service.
  static func remember(_ result: JSONValue, serviceID: String, name: String?, _ session: APISession, _ call: CommandCall) throws {
    guard !session.isDryRun, let password = result["password"]?.stringValue, let organization = session.organizationID else {
      return
    }
    session.secrets.register(password)
    let connection = result["connectionString"]?.stringValue
    let known = try? session.vault.entry(organizationID: organization, serviceID: serviceID)
    let entry = CredentialVault.Entry(
      organizationID: organization, serviceID: serviceID, serviceName: name ?? result["name"]?.stringValue ?? known?.serviceName,
      username: result["username"]?.stringValue ?? connection.flatMap(userName(in:)) ?? known?.username ?? "postgres",
      password: password, port: connection.map(port(in:)) ?? known?.port, savedAt: TimeWindow.rfc3339(Double(time(nil))))
    do {
      try session.vault.store(entry)
    } catch {
      throw RuntimeError(kind: .credentials, message: "the password could not be kept: \(error.message)", at: call.span)
    }
  }

  static func forget(serviceID: String, _ session: APISession) {
    guard !session.isDryRun, let organization = session.organizationID else { return }
    _ = try? session.vault.forget(organizationID: organization, serviceID: serviceID)
  }

  /// The port of `postgres://user:pw@host:PORT/db`, when not the default.
  static func port(in connectionString: String) -> Int? {
    guard let at = connectionString.lastIndex(of: "@") else { return nil }
    let hostPart = connectionString[connectionString.index(after: at)...].prefix { $0 != "/" && $0 != "?" }
    guard let colon = hostPart.lastIndex(of: ":"), let port = Int(hostPart[hostPart.index(after: colon)...]) else { return nil }
    return port == 5432 ? nil : port
  }

  static func userName(in connectionString: String) -> String? {
    guard let scheme = connectionString.range(of: "://") else { return nil }
    let rest = connectionString[scheme.upperBound...]
    guard let end = rest.firstIndex(where: { $0 == ":" || $0 == "@" }) else { return nil }
    return String(rest[..<end])
  }
}

#if canImport(Glibc)
  import Glibc
#endif
