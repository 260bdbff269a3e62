/// Prometheus text exposition format 0.0.4 of the services' statistics: one `# HELP` and `# TYPE` line per
/// metric family, then its samples, each labelled with the service's id and name.
///
/// The metric names are the emulator's own (the API documents none): `mpg_postgres_` plus what is
/// measured, counters ending in `_total`, sizes in `_bytes` and times in `_seconds`. docs/emulator.md lists
/// them.
struct PrometheusExposition {
  /// The `Content-Type` of the text.
  static let contentType = "text/plain; version=0.0.4; charset=utf-8"

  private struct Family {
    let name: String
    let type: String
    let help: String
    var samples: [(labels: [(String, String)], value: Double)] = []
  }

  private var families: [Family] = []

  /// The exposition of `services` in order; a service without statistics (not running, or its server did
  /// not answer) has only `up`, `state` and `info`.
  init(services: [(record: ServiceRecord, statistics: ServiceStatistics?)]) {
    typealias Database = ServiceStatistics.Database
    let perDatabase: [(String, String, KeyPath<Database, Double>)] = [
      ("transactions_committed_total", "Transactions committed (pg_stat_database.xact_commit).", \.commits),
      ("transactions_rolled_back_total", "Transactions rolled back (pg_stat_database.xact_rollback).", \.rollbacks),
      ("blocks_read_total", "Blocks read from disk, not found in shared buffers (pg_stat_database.blks_read).", \.blocksRead),
      ("blocks_hit_total", "Blocks found in shared buffers (pg_stat_database.blks_hit).", \.blocksHit),
      ("rows_returned_total", "Rows returned by scans (pg_stat_database.tup_returned).", \.rowsReturned),
      ("rows_fetched_total", "Rows fetched by index scans (pg_stat_database.tup_fetched).", \.rowsFetched),
      ("rows_inserted_total", "Rows inserted (pg_stat_database.tup_inserted).", \.rowsInserted),
      ("rows_updated_total", "Rows updated (pg_stat_database.tup_updated).", \.rowsUpdated),
      ("rows_deleted_total", "Rows deleted (pg_stat_database.tup_deleted).", \.rowsDeleted),
      ("deadlocks_total", "Deadlocks detected (pg_stat_database.deadlocks).", \.deadlocks),
      ("temp_bytes_total", "Bytes written to temporary files (pg_stat_database.temp_bytes).", \.temporaryBytes),
    ]
    var up = Family(
      name: "mpg_postgres_up", type: "gauge", help: "Whether the service's PostgreSQL server answered the scrape (1) or not (0).")
    var state = Family(
      name: "mpg_postgres_state", type: "gauge", help: "The service's state as the API reports it (1 for the current state).")
    var info = Family(name: "mpg_postgres_info", type: "gauge", help: "Facts about the service as labels (always 1).")
    var start = Family(
      name: "mpg_postgres_start_time_seconds", type: "gauge", help: "When the server started, seconds since the epoch.")
    var connections = Family(
      name: "mpg_postgres_connections", type: "gauge", help: "Client connections by state (pg_stat_activity).")
    var maximum = Family(name: "mpg_postgres_max_connections", type: "gauge", help: "The max_connections setting.")
    var size = Family(name: "mpg_postgres_database_size_bytes", type: "gauge", help: "Size of each database (pg_database_size).")
    var counters = perDatabase.map { Family(name: "mpg_postgres_" + $0.0, type: "counter", help: $0.1) }
    var recovery = Family(
      name: "mpg_postgres_in_recovery", type: "gauge", help: "Whether the server is a standby replaying WAL (1) or a primary (0)."
    )
    var lag = Family(
      name: "mpg_postgres_replication_lag_seconds", type: "gauge",
      help:
        "How far a replica's replayed WAL is behind what it received, in seconds (0 on a primary or a replica that caught up).")

    for (record, statistics) in services {
      let service = [("service_id", record.id), ("service_name", record.name)]
      up.samples.append((service, statistics == nil ? 0 : 1))
      state.samples.append((service + [("state", record.state.rawValue)], 1))
      info.samples.append(
        (
          service + [
            ("postgres_version", record.postgresVersion), ("provider", record.provider), ("region", record.region),
            ("size", record.size), ("ha_type", record.haType), ("is_primary", record.isPrimary ? "true" : "false"),
          ], 1
        ))
      guard let statistics else { continue }
      start.samples.append((service, statistics.startTime))
      for (connectionState, count) in statistics.connectionsByState {
        connections.samples.append((service + [("state", connectionState)], count))
      }
      maximum.samples.append((service, statistics.maxConnections))
      for database in statistics.databases {
        let labels = service + [("database", database.name)]
        size.samples.append((labels, database.sizeBytes))
        for index in perDatabase.indices { counters[index].samples.append((labels, database[keyPath: perDatabase[index].2])) }
      }
      recovery.samples.append((service, statistics.inRecovery ? 1 : 0))
      lag.samples.append((service, statistics.replicationLagSeconds))
    }
    families = [up, state, info, start, connections, maximum, size] + counters + [recovery, lag]
  }

  /// The text, ending in a newline.
  var text: String {
    var text = ""
    for family in families {
      text += "# HELP \(family.name) \(Self.escapedHelp(family.help))\n# TYPE \(family.name) \(family.type)\n"
      for sample in family.samples {
        let labels = sample.labels.map { "\($0.0)=\"\(Self.escapedLabel($0.1))\"" }.joined(separator: ",")
        text += "\(family.name){\(labels)} \(Self.number(sample.value))\n"
      }
    }
    return text
  }

  /// A sample value: integers without a fraction, others as Swift prints doubles (Go's parser reads both).
  static func number(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return String(value)
  }

  /// A label value: backslash, double quote and line feed escaped.
  static func escapedLabel(_ text: String) -> String {
    escaped(text, quotes: true)
  }

  /// HELP text: backslash and line feed escaped.
  static func escapedHelp(_ text: String) -> String {
    escaped(text, quotes: false)
  }

  private static func escaped(_ text: String, quotes: Bool) -> String {
    var result = ""
    for character in text {
      switch character {
      case "\\": result += "\\\\"
      case "\"" where quotes: result += "\\\""
      case "\n": result += "\\n"
      default: result.append(character)
      }
    }
    return result
  }
}
