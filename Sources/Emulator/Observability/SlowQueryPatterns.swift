import JQ
import PostgresAPISpec

/// Slow query patterns from `pg_stat_statements` (preloaded in every cluster), with error counts and
/// recent executions from the server log.
///
/// What the extension does not record is mapped as docs/emulator.md describes: the percentiles are
/// estimated from mean and standard deviation (a normal distribution, clamped to min…max), the CPU time
/// is the execution time less block I/O time, `app` is empty (the extension keeps no application name),
/// and the aggregates cover everything since the statistics were reset, whatever the window; the window
/// bounds the error counts, which come from the log, and leaves out patterns first tracked after it.
struct SlowQueryPattern: Sendable {
  var queryID: String
  var queryText: String
  var databaseName: String
  var databaseUser: String
  var operation: String
  var application: String = ""
  var calls: Int
  var errors: Int = 0
  var totalMicroseconds: Int
  var averageMicroseconds: Int
  var maximumMicroseconds: Int
  var p50Microseconds: Int
  var p95Microseconds: Int
  var p99Microseconds: Int
  var rows: Int
  var sharedBlocksRead: Int
  var sharedBlocksHit: Int
  var cpuMicroseconds: Int
  var walBytes: Int
  /// When the extension started tracking the pattern (`stats_since`, PostgreSQL 17 and later).
  var trackedSince: Double?

  /// The API's `PostgresSlowQueryPattern`.
  var json: JSONValue {
    JSONValue(object: [
      ("queryId", JSONValue(queryID)), ("queryText", JSONValue(queryText)), ("dbName", JSONValue(databaseName)),
      ("dbUser", JSONValue(databaseUser)), ("dbOperation", JSONValue(operation)), ("app", JSONValue(application)),
      ("callCount", JSONValue(calls)), ("errorCount", JSONValue(errors)), ("totalDurationUs", JSONValue(totalMicroseconds)),
      ("avgDurationUs", JSONValue(averageMicroseconds)), ("maxDurationUs", JSONValue(maximumMicroseconds)),
      ("p50DurationUs", JSONValue(p50Microseconds)), ("p95DurationUs", JSONValue(p95Microseconds)),
      ("p99DurationUs", JSONValue(p99Microseconds)), ("totalRows", JSONValue(rows)),
      ("totalSharedBlksRead", JSONValue(sharedBlocksRead)), ("totalSharedBlksHit", JSONValue(sharedBlocksHit)),
      ("totalCpuTimeUs", JSONValue(cpuMicroseconds)), ("totalWalBytes", JSONValue(walBytes)),
    ])
  }

  /// The value `sort_by` orders by.
  func sortValue(_ field: String) -> Int {
    switch field {
    case "avg_duration": averageMicroseconds
    case "call_count": calls
    case "total_blks_read": sharedBlocksRead
    case "total_cpu_time": cpuMicroseconds
    case "error_count": errors
    case "max_duration": maximumMicroseconds
    case "p50_duration": p50Microseconds
    case "p95_duration": p95Microseconds
    case "p99_duration": p99Microseconds
    case "total_rows": rows
    case "total_shared_blks_hit": sharedBlocksHit
    case "total_wal_bytes": walBytes
    default: totalMicroseconds
    }
  }

  /// The statement's top-level operation from its text: SELECT, INSERT, UPDATE, DELETE, MERGE, else UTILITY.
  static func operation(of text: String) -> String {
    var rest = Substring(text)
    // Leading comments and blanks, then the first word.
    while true {
      rest = rest.drop { $0.isWhitespace || $0 == "(" }
      if rest.hasPrefix("--") {
        rest = rest.drop { $0 != "\n" }
      } else if rest.hasPrefix("/*"), let end = rest.firstRange(of: "*/") {
        rest = rest[end.upperBound...]
      } else {
        break
      }
    }
    let word = rest.prefix { $0.isLetter }.uppercased()
    switch word {
    case "SELECT", "VALUES", "TABLE", "WITH": return "SELECT"
    case "INSERT", "UPDATE", "DELETE", "MERGE": return word
    default: return "UTILITY"
    }
  }

  /// Every top-level pattern the extension tracks. The extension is created on first use; in a cluster
  /// made before the emulator preloaded it, that fails and the caller answers with the reason.
  static func all(serviceID: String, from clusters: LocalClusters) async throws -> [SlowQueryPattern] {
    let sql = """
      DO $$ BEGIN
        -- A standby cannot create it; it has the extension when its primary had it.
        IF NOT pg_is_in_recovery() AND NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'pg_stat_statements') THEN
          CREATE EXTENSION pg_stat_statements;
        END IF;
      END $$;
      SELECT coalesce(json_agg(json_build_object(
        'queryId', s.queryid::text, 'dbName', d.datname, 'dbUser', coalesce(r.rolname, s.userid::text),
        'stats', to_jsonb(s) - 'queryid' - 'query', 'query', s.query)), '[]')
      FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid LEFT JOIN pg_roles r ON r.oid = s.userid
      WHERE s.toplevel AND s.queryid IS NOT NULL;
      """
    let output = try await clusters.monitor(serviceID: serviceID, sql: sql)
    let rows = try JSONValue(parsing: output).arrayElements ?? []
    return rows.map { row in
      let stats = row["stats"]
      func number(_ key: String) -> Double { stats?[key]?.numberValue ?? 0 }
      func microseconds(_ milliseconds: Double) -> Int { Int((milliseconds * 1000).rounded()) }
      let mean = number("mean_exec_time"), deviation = number("stddev_exec_time")
      let minimum = number("min_exec_time"), maximum = number("max_exec_time")
      func percentile(_ z: Double) -> Int { microseconds(min(maximum, max(minimum, mean + z * deviation))) }
      // Renamed in PostgreSQL 17 (blk_read_time became shared_blk_read_time).
      let ioTime =
        number("blk_read_time") + number("blk_write_time") + number("shared_blk_read_time") + number("shared_blk_write_time")
      let total = number("total_exec_time")
      let text = row["query"]?.stringValue ?? ""
      return SlowQueryPattern(
        queryID: row["queryId"]?.stringValue ?? "", queryText: text, databaseName: row["dbName"]?.stringValue ?? "",
        databaseUser: row["dbUser"]?.stringValue ?? "", operation: operation(of: text), calls: Int(number("calls")),
        totalMicroseconds: microseconds(total), averageMicroseconds: microseconds(mean),
        maximumMicroseconds: microseconds(maximum),
        p50Microseconds: percentile(0), p95Microseconds: percentile(1.645), p99Microseconds: percentile(2.326),
        rows: Int(number("rows")), sharedBlocksRead: Int(number("shared_blks_read")),
        sharedBlocksHit: Int(number("shared_blks_hit")),
        cpuMicroseconds: microseconds(max(0, total - ioTime)), walBytes: Int(number("wal_bytes")),
        trackedSince: stats?["stats_since"]?.stringValue.flatMap(QueryParameters.seconds))
    }
  }
}
