import PostgresCluster

/// What backups, read replicas and restores ask of the clusters. `LocalClusters` does it with
/// `pg_basebackup`, streaming replication and archive recovery.
protocol ReplicationBackend: Sendable {
  /// Takes a base backup of a running primary's cluster under `name`.
  func takeBaseBackup(serviceID: String, named name: String) async throws
  /// Deletes a base backup.
  func removeBaseBackup(serviceID: String, named name: String) async throws
  /// Deletes archived WAL older than the base backup `name` needs.
  func pruneArchive(serviceID: String, before name: String) async throws
  /// Sets the password of the role replicas stream with, creating the role when missing.
  func setReplicationRole(serviceID: String, password: String) async throws
  /// Commits, switches WAL segments and waits until everything so far is in the service's archive.
  func archiveCurrentWAL(serviceID: String) async throws
  /// Makes (but does not start) a cluster for `serviceID` from the base backup `backup` of `sourceID`,
  /// recovering as a standby of the source or up to a moment; returns where it listens.
  func createFromBackup(
    serviceID: String, sourceID: String, backup: String, address: String, tls: (certificate: String, key: String),
    recovery: BackupRecovery
  ) async throws -> (host: String, port: Int)
  /// Starts a cluster made from a backup and waits until it streams (a standby) or has finished its
  /// recovery and promoted itself (a restore).
  func startRecovery(serviceID: String, asStandby: Bool) async throws
  /// Promotes a standby to a primary and drops its recovery settings.
  func promote(serviceID: String) async throws
  /// Drops a restored cluster's recovery settings once it runs as a primary.
  func finishRestore(serviceID: String) async throws
  /// Hands the service over to a standby: one made from `backup` that streams until it has caught up,
  /// then replays the last WAL of the cleanly stopped primary, is promoted and takes the service's place.
  func switchover(serviceID: String, backup: String, tls: (certificate: String, key: String), recovery: BackupRecovery)
    async throws
}

/// How a cluster made from a base backup recovers (see `Cluster.Recovery`), in the emulator's terms.
enum BackupRecovery: Sendable {
  /// Streams from the source as `role` with `password` over TLS, trusting `certificateAuthority` (PEM).
  case standby(host: String, port: Int, role: String, password: String, certificateAuthority: String)
  /// Replays the source's archive up to `target` (a UTC timestamp PostgreSQL reads).
  case pointInTime(target: String)
}

extension LocalClusters: ReplicationBackend {
  /// The role replicas log in with on their primary.
  static let replicationRole = "mpg_replication"

  func takeBaseBackup(serviceID: String, named name: String) async throws {
    _ = try await cluster(serviceID).takeBaseBackup(named: name)
  }

  func removeBaseBackup(serviceID: String, named name: String) async throws {
    try await cluster(serviceID).removeBaseBackup(named: name)
  }

  func pruneArchive(serviceID: String, before name: String) async throws {
    try await cluster(serviceID).pruneArchive(before: name)
  }

  func setReplicationRole(serviceID: String, password: String) async throws {
    try await cluster(serviceID).setRole(Self.replicationRole, replication: true, password: password)
  }

  func archiveCurrentWAL(serviceID: String) async throws {
    try await cluster(serviceID).archiveCurrentWAL()
  }

  func createFromBackup(
    serviceID: String, sourceID: String, backup: String, address: String, tls: (certificate: String, key: String),
    recovery: BackupRecovery
  ) async throws -> (host: String, port: Int) {
    let source = try await cluster(sourceID)
    // No address (a switchover's standby): any free port on 127.0.0.1 will do, which is no fallback to log.
    let endpoint = try ListenEndpoint.choose(preferredHost: address)
    if let reason = endpoint.fallbackReason, !address.isEmpty {
      logger.notice("service \(serviceID): \(reason); listening on \(endpoint)")
    }
    let clusterRecovery: Cluster.Recovery
    switch recovery {
    case .standby(let host, let port, let role, let password, let authority):
      let connection = [
        "host=\(Cluster.connectionValue(host))", "port=\(port)", "user=\(Cluster.connectionValue(role))",
        "password=\(Cluster.connectionValue(password))", "application_name=\(Cluster.connectionValue(serviceID))",
      ].joined(separator: " ")
      clusterRecovery = .standby(primaryConnection: connection, certificateAuthority: authority, archive: source.archiveDirectory)
    case .pointInTime(let target):
      clusterRecovery = .pointInTime(target: target, archive: source.archiveDirectory)
    }
    let cluster = try await Cluster.create(
      fromBackup: "\(source.backupsDirectory)/\(backup)", of: source, at: directory(of: serviceID), endpoint: endpoint,
      certificate: ServerCertificate(certificateChainPEM: tls.certificate, privateKeyPEM: tls.key), recovery: clusterRecovery,
      logger: logger)
    clusters[serviceID] = cluster
    return (endpoint.host, endpoint.port)
  }

  func startRecovery(serviceID: String, asStandby: Bool) async throws {
    let cluster = try await cluster(serviceID)
    try await cluster.start()
    if asStandby {
      try await cluster.wait(until: { (try? await $0.isStreaming()) == true })
    } else {
      try await cluster.wait(until: { (try? await $0.isInRecovery()) == false })
    }
  }

  func promote(serviceID: String) async throws {
    try await cluster(serviceID).promote()
  }

  func finishRestore(serviceID: String) async throws {
    try await cluster(serviceID).clearRecoverySettings()
  }

  func switchover(serviceID: String, backup: String, tls: (certificate: String, key: String), recovery: BackupRecovery)
    async throws
  {
    // The standby lives beside the service under a name no service id has, on a free loopback port.
    let standbyID = serviceID + ".standby"
    _ = try await createFromBackup(
      serviceID: standbyID, sourceID: serviceID, backup: backup, address: "", tls: tls, recovery: recovery)
    let standby = try await cluster(standbyID)
    let primary = try await cluster(serviceID)
    do {
      try await startRecovery(serviceID: standbyID, asStandby: true)
      // A clean stop sends the primary's last WAL (its shutdown checkpoint) to the streaming standby.
      try await primary.stop()
      let last = try await primary.latestCheckpointLocation()
      // Streaming usually delivers that checkpoint at once; when the walsender went away first, the
      // standby finds the stopped primary's last segment in its own pg_wal instead.
      if (try? await standby.wait(until: { await $0.hasReplayed(upTo: last) }, timeout: .seconds(5))) == nil {
        try await primary.copyFinalWAL(to: standby)
        try await standby.wait(until: { await $0.hasReplayed(upTo: last) }, timeout: .seconds(60))
      }
      try await standby.promote()
      try await standby.stop()
      try await primary.takeOverData(of: standby)
      clusters[standbyID] = nil
      try await primary.start()
    } catch {
      // Keep the service on its own data when the hand-over did not happen.
      clusters[standbyID] = nil
      try? await standby.remove()
      try? await primary.start()
      throw error
    }
  }
}
