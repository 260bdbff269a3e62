import CloudAPI
import Interpreter
import FileIO
import JQ
import Outcomes

#if canImport(Glibc)
  import Glibc
#endif

/// How to reach one service's database: host, port and user from the API, the password from the
/// vault, and the service's CA certificate so the server is verified. The password and certificate
/// reach psql as memory files (`memfd_create`) that mpg holds open: psql reads them through
/// `/proc/MPG_PID/fd/N`, and they vanish with mpg however it ends, `kill -9` included — nothing on disk.
final class PostgresConnection: Sendable {
  let host: String
  let port: Int
  let user: String
  let database: String
  /// The passfile (0600) psql reads the password from: never argv, never the environment, never a disk.
  let passfile: MemoryFile
  /// The CA certificate, when the API gave one.
  let rootCertificate: MemoryFile?
  /// Whether the session is read-only: psql's transactions are then read-only too.
  let readOnly: Bool

  private init(
    host: String, port: Int, user: String, database: String, passfile: MemoryFile, rootCertificate: MemoryFile?, readOnly: Bool
  ) {
    self.host = host
    self.port = port
    self.user = user
    self.database = database
    self.passfile = passfile
    self.rootCertificate = rootCertificate
    self.readOnly = readOnly
  }

  /// Looks the service up, finds its password in the vault and fetches its CA certificate.
  static func open(
    serviceID: String, database: String, password override: String? = nil, _ session: APISession, _ call: CommandCall,
    _ context: CommandContext
  ) async throws -> PostgresConnection {
    let path = try await session.postgresPath("/\(serviceID)", for: call, in: context)
    // A service seen running a moment ago (by `wait`, or the last `sql`) is not asked for again.
    let service: JSONValue
    if let seen = session.recentService(serviceID, maxAge: 10), seen["state"]?.stringValue == "running" {
      service = seen
    } else {
      service = try await session.send(APIRequest("GET", path), for: call, in: context).result
    }
    guard let organization = session.organizationID else {
      throw RuntimeError(kind: .usage, message: "no organization is selected", at: call.span, exitCode: ExitStatus.usageError)
    }
    let state = service["state"]?.stringValue ?? "unknown"
    guard state == "running" || session.isDryRun else {
      throw RuntimeError(
        kind: .state, message: "service \(serviceID) is \(state), not running; `wait` for it first", at: call.span)
    }
    let kept = try vaultEntry(session, organization: organization, serviceID: serviceID, call)
    guard let entry = override.map({ (username: kept?.username ?? "postgres", password: $0, port: kept?.port) }) ?? kept else {
      throw RuntimeError(
        kind: .credentials,
        message:
          "mpg has no password for service \(serviceID): the API shows it only in the create response and in a password reset; run `password \(serviceID)` to set a new one (mpg keeps it)",
        at: call.span)
    }
    let host = service["hostname"]?.stringValue ?? ""
    guard !host.isEmpty else {
      throw RuntimeError(kind: .state, message: "service \(serviceID) has no hostname yet", at: call.span)
    }
    let pem = try await session.caCertificate(serviceID, path: path + "/caCertificates", for: call, in: context)
    MemoryFile.removeStaleFolders()
    do {
      let passfile = try MemoryFile(
        name: "mpg-pgpass",
        text:
          "\(escaped(host)):\(entry.port ?? 5432):*:\(escaped(service["username"]?.stringValue ?? entry.username)):\(escaped(entry.password))\n"
      )
      return PostgresConnection(
        host: host, port: entry.port ?? 5432, user: service["username"]?.stringValue ?? entry.username, database: database,
        passfile: passfile, rootCertificate: try pem.map { try MemoryFile(name: "mpg-ca", text: $0) },
        readOnly: session.readOnlyReason != nil)
    } catch {
      throw RuntimeError(kind: .io, message: "cannot hand psql its password: \(error)", at: call.span)
    }
  }

  private static func vaultEntry(_ session: APISession, organization: String, serviceID: String, _ call: CommandCall) throws -> (
    username: String, password: String, port: Int?
  )? {
    do {
      guard let entry = try session.vault.entry(organizationID: organization, serviceID: serviceID) else { return nil }
      session.secrets.register(entry.password)
      return (entry.username, entry.password, entry.port)
    } catch {
      throw RuntimeError(kind: .credentials, message: error.message, at: call.span)
    }
  }

  /// The environment that points psql at the service, with verification of the server's certificate
  /// against the service's CA (`verify-full`: the certificate names the host).
  var environment: [String: String] {
    var values = [
      "PGHOST": host, "PGPORT": String(port), "PGUSER": user, "PGDATABASE": database,
      "PGPASSFILE": passfile.path, "PGCONNECT_TIMEOUT": "10", "PGAPPNAME": "mpg",
    ]
    // Read-only mode reaches SQL too: every transaction psql starts is read-only (a user can still
    // `SET` it back on purpose; this guards against slips, not against intent).
    if readOnly { values["PGOPTIONS"] = "-c default_transaction_read_only=on" }
    if let rootCertificate {
      values["PGSSLMODE"] = "verify-full"
      values["PGSSLROOTCERT"] = rootCertificate.path
    } else {
      values["PGSSLMODE"] = "require"
    }
    return values
  }

  /// The connection string with the password masked (for `connect --print`).
  var maskedURL: String {
    "postgres://\(user):\(SecretMasking.mask)@\(host):\(port)/\(database)?sslmode=\(environment["PGSSLMODE"] ?? "require")"
  }

  /// Closes the memory files (they would close with mpg anyway).
  func close() {
    passfile.close()
    rootCertificate?.close()
  }

  /// `\` and `:` are escaped in passfile fields.
  private static func escaped(_ field: String) -> String {
    field.replacingAll("\\", with: "\\\\").replacingAll(":", with: "\\:")
  }
}
