import CloudAPI
import Interpreter
import JQ

#if canImport(Glibc)
  import Glibc
#endif

/// How to reach one service's database: host, port and user from the API, the password from the
/// vault, and the service's CA certificate so the server is verified. Files that hold the password
/// or certificate live in a private (0700) temporary folder that `close()` removes.
final class PostgresConnection: Sendable {
  let host: String
  let port: Int
  let user: String
  let database: String
  private let password: String
  private let folder: String
  /// The passfile (0600) psql reads the password from: never argv, never the environment.
  let passfile: String
  /// The CA certificate, when the API gave one.
  let rootCertificate: String?
  /// Whether the session is read-only: psql's transactions are then read-only too.
  let readOnly: Bool

  private init(
    host: String, port: Int, user: String, database: String, password: String, folder: String, rootCertificate: String?, readOnly: Bool
  ) {
    self.host = host
    self.port = port
    self.user = user
    self.database = database
    self.password = password
    self.folder = folder
    self.passfile = folder + "/pgpass"
    self.rootCertificate = rootCertificate
    self.readOnly = readOnly
  }

  /// Looks the service up, finds its password in the vault and fetches its CA certificate.
  static func open(
    serviceID: String, database: String, password override: String? = nil, _ session: APISession, _ call: CommandCall, _ context: CommandContext
  ) async throws -> PostgresConnection {
    let path = try await session.postgresPath("/\(serviceID)", call, context)
    let service = try await session.send(APIRequest("GET", path), call, context).result
    guard let organization = session.organizationID else {
      throw RuntimeError(kind: "usage", message: "no organization is selected", at: call.span, exitCode: 2)
    }
    let state = service["state"]?.stringValue ?? "unknown"
    guard state == "running" || session.options.dryRun else {
      throw RuntimeError(kind: "state", message: "service \(serviceID) is \(state), not running; `wait` for it first", at: call.span)
    }
    let kept = try vaultEntry(session, organization: organization, serviceID: serviceID, call)
    guard let entry = override.map({ (username: kept?.username ?? "postgres", password: $0, port: kept?.port) }) ?? kept else {
      throw RuntimeError(
        kind: "credentials",
        message: "mpg has no password for service \(serviceID): the API shows it only in the create response and in a password reset; run `password \(serviceID)` to set a new one (mpg keeps it)",
        at: call.span)
    }
    let host = service["hostname"]?.stringValue ?? ""
    guard !host.isEmpty else {
      throw RuntimeError(kind: "state", message: "service \(serviceID) has no hostname yet", at: call.span)
    }
    let pem = try await session.send(APIRequest("GET", path + "/caCertificates"), call, context).result.stringValue
    let folder = try makePrivateFolder(call)
    let connection = PostgresConnection(
      host: host, port: entry.port ?? 5432, user: service["username"]?.stringValue ?? entry.username, database: database,
      password: entry.password, folder: folder, rootCertificate: pem.map { _ in folder + "/ca.pem" },
      readOnly: session.readOnlyReason != nil)
    do {
      try connection.writePrivateFile(connection.passfile, "\(escaped(host)):\(connection.port):*:\(escaped(connection.user)):\(escaped(entry.password))\n")
      if let pem, let file = connection.rootCertificate { try connection.writePrivateFile(file, pem) }
    } catch {
      connection.close()
      throw RuntimeError(kind: "io", message: "cannot write a private file for psql: \(error)", at: call.span)
    }
    return connection
  }

  private static func vaultEntry(_ session: APISession, organization: String, serviceID: String, _ call: CommandCall) throws -> (username: String, password: String, port: Int?)? {
    do {
      guard let entry = try session.vault.entry(organizationID: organization, serviceID: serviceID) else { return nil }
      session.secrets.register(entry.password)
      return (entry.username, entry.password, entry.port)
    } catch {
      throw RuntimeError(kind: "credentials", message: error.message, at: call.span)
    }
  }

  /// The environment that points psql at the service, with verification of the server's certificate
  /// against the service's CA (`verify-full`: the certificate names the host).
  var environment: [String: String] {
    var values = [
      "PGHOST": host, "PGPORT": String(port), "PGUSER": user, "PGDATABASE": database,
      "PGPASSFILE": passfile, "PGCONNECT_TIMEOUT": "10", "PGAPPNAME": "mpg",
    ]
    // Read-only mode reaches SQL too: every transaction psql starts is read-only (a user can still
    // `SET` it back on purpose; this guards against slips, not against intent).
    if readOnly { values["PGOPTIONS"] = "-c default_transaction_read_only=on" }
    if let rootCertificate {
      values["PGSSLMODE"] = "verify-full"
      values["PGSSLROOTCERT"] = rootCertificate
    } else {
      values["PGSSLMODE"] = "require"
    }
    return values
  }

  /// The connection string with the password masked (for `connect --print`).
  var maskedURL: String {
    "postgres://\(user):\(SecretMasking.mask)@\(host):\(port)/\(database)?sslmode=\(environment["PGSSLMODE"] ?? "require")"
  }

  /// Removes the private folder and everything in it.
  func close() {
    unlink(passfile)
    if let rootCertificate { unlink(rootCertificate) }
    rmdir(folder)
  }

  private static func makePrivateFolder(_ call: CommandCall) throws -> String {
    let base = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    var template = Array((base + "/mpg-psql-XXXXXX").utf8CString)
    guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
      throw RuntimeError(kind: "io", message: "cannot create a private temporary folder in \(base): \(String(cString: strerror(errno)))", at: call.span)
    }
    return String(cString: made)
  }

  private func writePrivateFile(_ path: String, _ text: String) throws {
    let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
    guard descriptor >= 0 else { throw PrivateFileError(reason: String(cString: strerror(errno))) }
    defer { Glibc.close(descriptor) }
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
      if written < 0 {
        if errno == EINTR { continue }
        throw PrivateFileError(reason: String(cString: strerror(errno)))
      }
      offset += written
    }
  }

  /// `\` and `:` are escaped in passfile fields.
  private static func escaped(_ field: String) -> String {
    field.replacingAll("\\", with: "\\\\").replacingAll(":", with: "\\:")
  }

  struct PrivateFileError: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }
  }
}
