import JQ
import PostgresAPISpec

/// The answer of `GET …/metrics` (`PostgresMetrics`): the sampled metrics over a window, in buckets.
///
/// A bucket's value is the mean of the values of the samples that fall in it; buckets without a sample
/// have no data point. Counters (transactions, rows) are shown as rates per second between a sample and
/// the one before it; the cache hit ratio is the share of block reads in that interval that hit shared
/// buffers (the ratio since the statistics were reset when there were none).
struct MetricsReport {
  /// The most data points one series may have.
  static let maximumPoints = 250
  /// Bucket sizes picked when the request gives none: the smallest that keeps within `maximumPoints` and
  /// is not shorter than the sampling interval.
  static let niceBucketSizes = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400]

  /// The bucket size for a window: the requested one, raised as far as needed to stay within
  /// `maximumPoints` buckets (the API caps requests at 250 points); or a derived one.
  static func bucketSize(requested: Int?, window: QueryWindow, samplingInterval: Double) -> Int {
    let span = window.to - window.from
    let smallest = Int((span / Double(maximumPoints)).rounded(.up))
    if let requested { return max(requested, smallest) }
    let wanted = max(smallest, Int(samplingInterval.rounded(.up)), 1)
    return niceBucketSizes.first { $0 >= wanted } ?? ((wanted + 86399) / 86400) * 86400
  }

  private struct Metric {
    let key: String
    let name: String
    let unit: String
    let description: String
    /// Per series: a label and a value for sample `index` (nil when it has none).
    let series: [(label: String, value: (Int) -> Double?)]
  }

  /// The report of `history` (a service's samples, oldest first) within `window`.
  static func json(history: [MetricsSampler.Sample], window: QueryWindow, bucketSize: Int) -> JSONValue {
    func rate(_ counter: KeyPath<MetricsSampler.Sample, Double>) -> (Int) -> Double? {
      { index in
        guard index > 0 else { return nil }
        let elapsed = history[index].time - history[index - 1].time
        let delta = history[index][keyPath: counter] - history[index - 1][keyPath: counter]
        return elapsed > 0 && delta >= 0 ? delta / elapsed : nil
      }
    }
    func gauge(_ value: KeyPath<MetricsSampler.Sample, Double>) -> (Int) -> Double? {
      { history[$0][keyPath: value] }
    }
    let cacheHitRatio: (Int) -> Double? = { index in
      let sample = history[index]
      if index > 0 {
        let hits = sample.blocksHit - history[index - 1].blocksHit
        let reads = sample.blocksRead - history[index - 1].blocksRead
        if hits >= 0, reads >= 0, hits + reads > 0 { return 100 * hits / (hits + reads) }
      }
      return sample.blocksHit + sample.blocksRead > 0 ? 100 * sample.blocksHit / (sample.blocksHit + sample.blocksRead) : nil
    }
    var databases: [String] = []
    for sample in history {
      for database in sample.databaseSizes where !databases.contains(database.name) { databases.append(database.name) }
    }
    let metrics = [
      Metric(
        key: "connection_count", name: "Connections", unit: "count",
        description: "Client connections to the server (pg_stat_activity).",
        series: [("Total", gauge(\.connections)), ("Active", gauge(\.activeConnections)), ("Idle", gauge(\.idleConnections))]),
      Metric(
        key: "transactions", name: "Transactions", unit: "transactions/s",
        description: "Transactions committed and rolled back per second, all databases (pg_stat_database).",
        series: [("Committed", rate(\.commits)), ("Rolled back", rate(\.rollbacks))]),
      Metric(
        key: "rows", name: "Rows", unit: "rows/s",
        description: "Rows read and written per second, all databases (pg_stat_database).",
        series: [
          ("Returned", rate(\.rowsReturned)), ("Fetched", rate(\.rowsFetched)), ("Inserted", rate(\.rowsInserted)),
          ("Updated", rate(\.rowsUpdated)), ("Deleted", rate(\.rowsDeleted)),
        ]),
      Metric(
        key: "database_size", name: "Database size", unit: "bytes", description: "Size of each database (pg_database_size).",
        series: databases.map { name in
          (name, { index in history[index].databaseSizes.first { $0.name == name }?.bytes })
        }),
      Metric(
        key: "cache_hit_ratio", name: "Cache hit ratio", unit: "%",
        description: "Share of block reads served from shared buffers, all databases (pg_stat_database).",
        series: [("Shared buffers", cacheHitRatio)]),
    ]

    let inWindow = history.indices.filter { history[$0].time >= window.from && history[$0].time < window.to }
    let start = Int(window.from.rounded(.down))
    let json = metrics.map { metric in
      let series = metric.series.map { series in
        var buckets: [Int: (sum: Double, count: Double)] = [:]
        for index in inWindow {
          guard let value = series.value(index), value.isFinite else { continue }
          let bucket = Int(((history[index].time - Double(start)) / Double(bucketSize)).rounded(.down))
          buckets[bucket, default: (0, 0)].sum += value
          buckets[bucket, default: (0, 0)].count += 1
        }
        let points = buckets.keys.sorted().prefix(maximumPoints).map { bucket in
          JSONValue(object: [
            ("timestamp", JSONValue(start + bucket * bucketSize)),
            ("value", JSONValue(buckets[bucket]!.sum / buckets[bucket]!.count)),
          ])
        }
        return JSONValue(object: [("label", JSONValue(series.label)), ("dataPoints", JSONValue(array: points))])
      }
      return JSONValue(object: [
        ("key", JSONValue(metric.key)), ("name", JSONValue(metric.name)), ("unit", JSONValue(metric.unit)),
        ("description", JSONValue(metric.description)), ("series", JSONValue(array: series)),
      ])
    }
    return JSONValue(object: [("metrics", JSONValue(array: json))])
  }
}
