import PostgresCluster

/// What the observability endpoints read from the clusters: statistics views over psql and the server log.
extension LocalClusters {
  /// Settings every template bakes in: `pg_stat_statements` (loaded at server start, hence in the template)
  /// with query ids computed by the server, so the log's entries and the statements share one id.
  static let templateSettings = ClusterTemplate.Settings(parameters: [
    "shared_preload_libraries": "pg_stat_statements",
    "compute_query_id": "on",
  ])

  /// Runs monitoring SQL as the superuser and returns psql's unaligned output. The session logs no
  /// statement durations and is not tracked by pg_stat_statements, so looking does not show up in what
  /// is looked at.
  func monitor(serviceID: String, sql: String) async throws -> String {
    let quiet = """
      SET log_min_duration_statement = -1;
      SET log_statement = 'none';
      SET pg_stat_statements.track = 'none';
      SET application_name = 'mpg-emulator';

      """
    return try await cluster(serviceID).execute(sql: quiet + sql)
  }

  /// The service's server log files (`jsonlog`), oldest first.
  func serverLogFiles(serviceID: String) async throws -> [String] {
    try await cluster(serviceID).logFiles
  }
}
