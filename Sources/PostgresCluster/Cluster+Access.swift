/// Which client addresses may connect over TCP: the service's IPv4 access rules, as `pg_hba.conf`.
extension Cluster {
  /// Rewrites `pg_hba.conf` so that TCP clients from `sources` (IPv4 addresses or CIDR blocks) may log in
  /// with TLS and scram-sha-256 and nobody else may; replication from loopback (the emulator's own
  /// replicas and switchover standbys, its internal network) and the private unix socket stay open.
  /// A running server reloads it at once.
  public func allowConnections(from sources: [String]) async throws(ClusterError) {
    guard sources.allSatisfy(Self.isHBAAddress) else { throw .invalidValue("not an IPv4 address or CIDR block: \(sources)") }
    let hba = Self.hostBasedAccess(allowing: sources)
    try ClusterFiles.writeFile("\(dataDirectory)/pg_hba.conf", hba, mode: 0o600, owner: user)
    if isRunning { _ = try await execute(sql: "SELECT pg_reload_conf();") }
  }

  /// The `pg_hba.conf` that admits TCP clients from `sources` only. Templates start with `0.0.0.0/0`, the
  /// default rule of a new service.
  static func hostBasedAccess(allowing sources: [String]) -> String {
    var hba = """
      # Written by mpg from the service's IPv4 access rules. The unix socket directory is private to the
      # cluster user, so trust there is safe; TCP requires TLS and scram-sha-256.
      # TYPE   DATABASE     USER  ADDRESS        METHOD
      local    all          all                  trust
      local    replication  all                  trust
      hostssl  replication  all   127.0.0.0/8    scram-sha-256

      """
    for source in sources {
      let address = source.contains("/") ? source : source + "/32"
      hba += "hostssl  all          all   \(address)  scram-sha-256\n"
    }
    return hba
  }

  /// Only digits, dots and one slash reach the file (the API checked the form already).
  private static func isHBAAddress(_ text: String) -> Bool {
    !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "." || $0 == "/") }
  }
}
