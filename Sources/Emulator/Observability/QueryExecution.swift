import JQ

/// One execution of a query pattern as the server log shows it: a statement that ran at least
/// `log_min_duration_statement` (its `duration: … ms` entry), or one that failed (its ERROR entry).
/// The log records no buffer, WAL, CPU or JIT figures for an execution; those fields are 0.
struct QueryExecution: Sendable {
  var entry: ServerLogEntry
  var pattern: SlowQueryPattern
  var serverRole: String

  /// The duration of a `duration: 123.456 ms  statement: …` entry, in microseconds (0 for an error).
  var microseconds: Int {
    guard entry.message.hasPrefix("duration: ") else { return 0 }
    let number = entry.message.dropFirst("duration: ".count).prefix { $0.isNumber || $0 == "." }
    return Int(((Double(number) ?? 0) * 1000).rounded())
  }

  /// Whether the entry reports a failure.
  var isError: Bool { ["ERROR", "FATAL", "PANIC"].contains(entry.severity) }

  /// Whether `entry` belongs to `pattern`: the same query id, database and user, and either a duration
  /// or an error.
  static func matches(_ entry: ServerLogEntry, _ pattern: SlowQueryPattern) -> Bool {
    entry.queryID == pattern.queryID && entry.database == pattern.databaseName && entry.user == pattern.databaseUser
      && (entry.message.hasPrefix("duration: ") || ["ERROR", "FATAL", "PANIC"].contains(entry.severity))
  }

  /// The API's `PostgresQueryExecution`.
  var json: JSONValue {
    var members: [(String, JSONValue)] = [
      ("timestamp", JSONValue(entry.timestamp)), ("queryId", JSONValue(pattern.queryID)),
      ("dbName", JSONValue(pattern.databaseName)),
      ("dbUser", JSONValue(pattern.databaseUser)), ("dbOperation", JSONValue(pattern.operation)),
      ("app", JSONValue(entry.application ?? "")), ("queryText", JSONValue(pattern.queryText)),
      ("pid", JSONValue(String(entry.processID))),
      ("durationUs", JSONValue(microseconds)),
    ]
    let unrecorded = [
      "rows", "sharedBlksHit", "sharedBlksRead", "sharedBlksWritten", "sharedBlksDirtied", "sharedBlkReadTimeUs",
      "sharedBlkWriteTimeUs", "localBlksHit", "localBlksRead", "localBlksWritten", "localBlksDirtied", "tempBlksRead",
      "tempBlksWritten", "tempBlkReadTimeUs", "tempBlkWriteTimeUs", "walRecords", "walBytes", "walFpi", "cpuUserTimeUs",
      "cpuSysTimeUs", "jitFunctions", "jitGenerationTimeUs", "jitInliningTimeUs", "jitOptimizationTimeUs", "jitEmissionTimeUs",
      "jitDeformTimeUs", "parallelWorkersPlanned", "parallelWorkersLaunched",
    ]
    members += unrecorded.map { ($0, JSONValue(0)) }
    if isError {
      // PostgreSQL's elevel numbers (elog.h): ERROR 21, FATAL 22, PANIC 23.
      let level = ["ERROR": 21, "FATAL": 22, "PANIC": 23][entry.severity] ?? 21
      members += [
        ("errMessage", JSONValue(entry.message)), ("errSqlstate", JSONValue(entry.sqlState ?? "")),
        ("errElevel", JSONValue(level)),
      ]
    }
    members.append(("serverRole", JSONValue(serverRole)))
    return JSONValue(object: members)
  }
}
