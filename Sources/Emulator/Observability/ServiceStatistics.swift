import JQ

/// One reading of a cluster's statistics views — `pg_stat_database`, `pg_stat_activity`, database sizes and
/// replay position — taken in a single psql round trip. Prometheus text and the sampled metrics both
/// come from it.
struct ServiceStatistics: Sendable {
  /// One database's counters (`pg_stat_database`, cumulative since the statistics were reset) and size.
  struct Database: Sendable {
    var name: String
    var sizeBytes: Double
    var commits: Double
    var rollbacks: Double
    var blocksRead: Double
    var blocksHit: Double
    var rowsReturned: Double
    var rowsFetched: Double
    var rowsInserted: Double
    var rowsUpdated: Double
    var rowsDeleted: Double
    var deadlocks: Double
    var temporaryBytes: Double
  }

  /// When the reading was taken (seconds since the epoch).
  var time: Double
  /// Every database that accepts connections, by name.
  var databases: [Database]
  /// Client connections by `pg_stat_activity.state` (the reading's own session left out).
  var connectionsByState: [(state: String, count: Double)]
  /// `max_connections`.
  var maxConnections: Double
  /// Whether the server is a standby replaying WAL.
  var inRecovery: Bool
  /// Seconds the replayed WAL is behind what was received; 0 on a primary or a standby that caught up.
  var replicationLagSeconds: Double
  /// `pg_postmaster_start_time()`, seconds since the epoch.
  var startTime: Double

  /// All client connections.
  var connections: Double { connectionsByState.reduce(0) { $0 + $1.count } }

  /// The sum of a counter over all databases.
  func total(_ counter: KeyPath<Database, Double>) -> Double {
    databases.reduce(0) { $0 + $1[keyPath: counter] }
  }

  /// The SQL that reads it all as one JSON object.
  static let query = """
    SELECT json_build_object(
      'databases', (
        SELECT coalesce(json_agg(json_build_object(
          'name', d.datname, 'size', pg_database_size(d.oid), 'commits', s.xact_commit, 'rollbacks', s.xact_rollback,
          'blocksRead', s.blks_read, 'blocksHit', s.blks_hit, 'returned', s.tup_returned, 'fetched', s.tup_fetched,
          'inserted', s.tup_inserted, 'updated', s.tup_updated, 'deleted', s.tup_deleted, 'deadlocks', s.deadlocks,
          'tempBytes', s.temp_bytes) ORDER BY d.datname), '[]')
        FROM pg_database d JOIN pg_stat_database s ON s.datid = d.oid WHERE d.datallowconn),
      'connections', (
        SELECT coalesce(json_agg(json_build_object('state', state, 'count', n) ORDER BY state), '[]')
        FROM (SELECT coalesce(state, 'unknown') AS state, count(*) AS n FROM pg_stat_activity
              WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() GROUP BY 1) c),
      'maxConnections', current_setting('max_connections')::int,
      'inRecovery', pg_is_in_recovery(),
      'replicationLag', CASE
        WHEN NOT pg_is_in_recovery() THEN 0
        WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
        ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0) END,
      'startTime', extract(epoch FROM pg_postmaster_start_time()),
      'now', extract(epoch FROM now())
    );
    """

  /// Reads the statistics of a running service's cluster.
  static func read(serviceID: String, from clusters: LocalClusters) async throws -> ServiceStatistics {
    let output = try await clusters.monitor(serviceID: serviceID, sql: query)
    return try parse(output)
  }

  static func parse(_ output: String) throws -> ServiceStatistics {
    let value = try JSONValue(parsing: output)
    func number(_ object: JSONValue?, _ key: String) -> Double { object?[key]?.numberValue ?? 0 }
    let databases = (value["databases"]?.arrayElements ?? []).map { row in
      Database(
        name: row["name"]?.stringValue ?? "", sizeBytes: number(row, "size"), commits: number(row, "commits"),
        rollbacks: number(row, "rollbacks"), blocksRead: number(row, "blocksRead"), blocksHit: number(row, "blocksHit"),
        rowsReturned: number(row, "returned"), rowsFetched: number(row, "fetched"), rowsInserted: number(row, "inserted"),
        rowsUpdated: number(row, "updated"), rowsDeleted: number(row, "deleted"), deadlocks: number(row, "deadlocks"),
        temporaryBytes: number(row, "tempBytes"))
    }
    let connections = (value["connections"]?.arrayElements ?? []).map { row in
      (state: row["state"]?.stringValue ?? "unknown", count: number(row, "count"))
    }
    return ServiceStatistics(
      time: number(value, "now"), databases: databases, connectionsByState: connections,
      maxConnections: number(value, "maxConnections"), inRecovery: value["inRecovery"]?.boolValue ?? false,
      replicationLagSeconds: number(value, "replicationLag"), startTime: number(value, "startTime"))
  }
}
