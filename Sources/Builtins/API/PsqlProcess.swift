import Interpreter
import Subprocess
import SystemPackage

#if canImport(Glibc)
  import Glibc
#endif

/// psql as a child process, pointed at a service through the environment (the password stays in a
/// 0600 passfile in memory; argv carries only psql's own switches and the SQL).
enum PsqlProcess {
  /// The psql found on PATH (Debian's, or the one `MPG_PSQL` names).
  static var executable: String {
    if let named = getenv("MPG_PSQL").map({ String(cString: $0) }), !named.isEmpty { return named }
    for directory in (getenv("PATH").map { String(cString: $0) } ?? "/usr/bin").split(separator: ":") {
      let candidate = "\(directory)/psql"
      if access(candidate, X_OK) == 0 { return candidate }
    }
    return "/usr/bin/psql"
  }

  /// Runs psql with the terminal handed over (interactive `connect`); returns its exit status.
  static func interactive(_ connection: PostgresConnection, arguments: [String]) async throws -> Int32 {
    let configuration = Configuration(
      executable: .path(FilePath(executable)), arguments: Arguments(arguments),
      environment: .inherit.updating(environmentKeys(connection)))
    let result = try await Subprocess.run(
      configuration, input: .currentStandardInput, output: .currentStandardOutput, error: .currentStandardError)
    return exitCode(result.terminationStatus)
  }

  /// Runs psql non-interactively and captures what it prints.
  static func capture(_ connection: PostgresConnection, arguments: [String]) async throws -> (
    status: Int32, output: String, error: String
  ) {
    let configuration = Configuration(
      executable: .path(FilePath(executable)), arguments: Arguments(["-X", "--no-psqlrc"] + arguments),
      environment: .inherit.updating(environmentKeys(connection)))
    // Not cancelled midway (swift-subprocess 1.0.2 traps when a cancellation reaches it while it holds a
    // pipe): Ctrl-C reaches psql itself, which then ends.
    let result = try await Task {
      try await Subprocess.run(configuration, input: .none, output: .string(limit: 256 << 20), error: .string(limit: 1 << 20))
    }.value
    return (exitCode(result.terminationStatus), result.standardOutput, result.standardError)
  }

  private static func environmentKeys(_ connection: PostgresConnection) -> [Environment.Key: String?] {
    var values: [Environment.Key: String?] = [:]
    // A password or service in the caller's environment must not override the service's (nor options
    // override read-only mode's): cleared first, then the connection's own values set.
    for name in ["PGPASSWORD", "PGSERVICE", "PGSERVICEFILE", "PGOPTIONS", "PGSSLCERT", "PGSSLKEY"] {
      if let key = Environment.Key(rawValue: name) { values[key] = String?.none }
    }
    for (key, value) in connection.environment {
      if let key = Environment.Key(rawValue: key) { values[key] = value }
    }
    return values
  }

  private static func exitCode(_ status: TerminationStatus) -> Int32 {
    switch status {
    case .exited(let code): return Int32(code)
    case .signaled(let signal): return 128 + Int32(signal)
    }
  }
}
