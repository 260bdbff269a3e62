import Suggestions

// The query parameters of the Postgres observability endpoints (metrics, slow query patterns, logs) as
// the spec and postgres-additions.json declare them: required dates, enums, integer bounds, defaults.

/// Why a query string was refused, worded as the emulator answers it:
/// `BAD_REQUEST: query parameter from_date is required`, `BAD_REQUEST: to_date must be after from_date`.
public struct QueryParameterFailure: Error, Equatable, Sendable, CustomStringConvertible {
  /// The text after `BAD_REQUEST: `.
  public let detail: String

  /// A failure worded as `detail`.
  public init(_ detail: String) {
    self.detail = detail
  }

  /// The full `error` text of the API's error envelope.
  public var message: String { "BAD_REQUEST: \(detail)" }

  public var description: String { message }

  static func required(_ name: String) -> QueryParameterFailure {
    QueryParameterFailure("query parameter \(name) is required")
  }

  static func notADateTime(_ name: String, _ value: String) -> QueryParameterFailure {
    QueryParameterFailure(
      "query parameter \(name) \(ValidationFailure.quoted(value)) is not an RFC 3339 date-time (e.g. 2026-01-15T09:30:00Z)")
  }

  static func notAnInteger(_ name: String, _ value: String) -> QueryParameterFailure {
    QueryParameterFailure("query parameter \(name) must be an integer, not \(ValidationFailure.quoted(value))")
  }

  static func outOfRange(_ name: String, _ value: Int, _ range: ClosedRange<Int>) -> QueryParameterFailure {
    let bounds =
      range.upperBound == Int.max ? "at least \(range.lowerBound)" : "between \(range.lowerBound) and \(range.upperBound)"
    return QueryParameterFailure("query parameter \(name) must be \(bounds), not \(value)")
  }

  static func notOneOf(_ name: String, _ value: String, _ allowed: [String]) -> QueryParameterFailure {
    var text = "query parameter \(name) \(ValidationFailure.quoted(value)) is not one of \(allowed.joined(separator: ", "))"
    if let hint = Suggestion.didYouMean(value, among: allowed) { text += "; \(hint)" }
    return QueryParameterFailure(text)
  }
}

/// A time window of a query: `from_date` and `to_date` as seconds since the epoch.
public struct QueryWindow: Sendable, Equatable {
  /// The start (inclusive).
  public let from: Double
  /// The end (exclusive for metrics and slow queries, inclusive for logs, as the spec says).
  public let to: Double

  /// The window from `from` to `to`.
  public init(from: Double, to: Double) {
    self.from = from
    self.to = to
  }
}

/// `sort_order`: `asc` or `desc`.
public enum SortOrder: String, Sendable, CaseIterable {
  case ascending = "asc", descending = "desc"
}

/// `GET …/metrics`.
public struct MetricsQuery: Sendable, Equatable {
  /// The window.
  public let window: QueryWindow
  /// `bucket_size_seconds` when given.
  public let bucketSize: Int?
}

/// `GET …/slowQueryPatterns`.
public struct SlowQueryPatternsQuery: Sendable, Equatable {
  /// The window.
  public let window: QueryWindow
  /// `db_name`, `db_user`, `db_operation`, `app` filters.
  public let databaseName: String?, databaseUser: String?, operation: String?, application: String?
  /// `sort_by` (default `total_duration`).
  public let sortBy: String
  /// `sort_order` (default `desc`).
  public let sortOrder: SortOrder
  /// `limit` (1…500, default 20) and `offset` (≥ 0, default 0).
  public let limit: Int, offset: Int
}

/// `GET …/slowQueryPatterns/{queryId}`.
public struct SlowQueryPatternQuery: Sendable, Equatable {
  /// The required `db_name`, `db_user`, `db_operation`.
  public let databaseName: String, databaseUser: String, operation: String
  /// The optional `app` filter.
  public let application: String?
  /// `timestamp` of one execution, seconds since the epoch.
  public let timestamp: Double?
}

/// `GET …/logs` (postgres-additions.json).
public struct LogsQuery: Sendable, Equatable {
  /// The window (both ends inclusive).
  public let window: QueryWindow
  /// `body_contains` (case-sensitive) and `severity` filters.
  public let bodyContains: String?, severity: String?
  /// `sort_order` (default `desc`: most recent first).
  public let sortOrder: SortOrder
  /// `limit` (default 50) and `offset` (≥ 0, default 0).
  public let limit: Int, offset: Int
}

/// Validates the query strings of the observability endpoints.
public enum QueryParameters {
  /// The `sort_by` values of `slowQueryPatterns`, in the spec's order.
  public static let slowQuerySortFields = [
    "total_duration", "avg_duration", "call_count", "total_blks_read", "total_cpu_time", "error_count", "max_duration",
    "p50_duration", "p95_duration", "p99_duration", "total_rows", "total_shared_blks_hit", "total_wal_bytes",
  ]
  /// The largest `limit` of `slowQueryPatterns` (the spec's maximum).
  public static let slowQueryLimit = 1...500
  /// The largest `limit` of `logs`: the additions give none; the official CLI refuses more than 2000.
  public static let logLimit = 1...2000
  /// The longest window of `logs`: 30 days.
  public static let longestLogWindow = 30.0 * 86400

  /// `GET …/metrics`: dates required, `to_date` after `from_date`, `bucket_size_seconds` ≥ 1.
  public static func metrics(_ parameters: [String: String]) throws(QueryParameterFailure) -> MetricsQuery {
    let window = try window(parameters)
    let bucket = try integer(parameters, "bucket_size_seconds", in: 1...Int.max)
    return MetricsQuery(window: window, bucketSize: bucket)
  }

  /// `GET …/slowQueryPatterns`.
  public static func slowQueryPatterns(_ parameters: [String: String]) throws(QueryParameterFailure) -> SlowQueryPatternsQuery {
    let window = try window(parameters)
    let sortBy = try choice(parameters, "sort_by", slowQuerySortFields) ?? "total_duration"
    let order = try choice(parameters, "sort_order", SortOrder.allCases.map(\.rawValue)).flatMap(SortOrder.init) ?? .descending
    return SlowQueryPatternsQuery(
      window: window, databaseName: parameters["db_name"], databaseUser: parameters["db_user"],
      operation: parameters["db_operation"],
      application: parameters["app"], sortBy: sortBy, sortOrder: order,
      limit: try integer(parameters, "limit", in: slowQueryLimit) ?? 20,
      offset: try integer(parameters, "offset", in: 0...Int.max) ?? 0)
  }

  /// `GET …/slowQueryPatterns/{queryId}`: `db_name`, `db_user` and `db_operation` are required.
  public static func slowQueryPattern(_ parameters: [String: String]) throws(QueryParameterFailure) -> SlowQueryPatternQuery {
    func required(_ name: String) throws(QueryParameterFailure) -> String {
      guard let value = parameters[name] else { throw .required(name) }
      return value
    }
    var timestamp: Double?
    if let text = parameters["timestamp"] {
      guard let seconds = RFC3339.seconds(text) else { throw .notADateTime("timestamp", text) }
      timestamp = seconds
    }
    return SlowQueryPatternQuery(
      databaseName: try required("db_name"), databaseUser: try required("db_user"), operation: try required("db_operation"),
      application: parameters["app"], timestamp: timestamp)
  }

  /// `GET …/logs`: dates required, `to_date` after `from_date`, at most 30 days apart.
  public static func logs(_ parameters: [String: String]) throws(QueryParameterFailure) -> LogsQuery {
    let window = try window(parameters)
    guard window.to - window.from <= longestLogWindow else {
      throw QueryParameterFailure("the time range from from_date to to_date must not exceed 30 days")
    }
    let order = try choice(parameters, "sort_order", SortOrder.allCases.map(\.rawValue)).flatMap(SortOrder.init) ?? .descending
    return LogsQuery(
      window: window, bodyContains: parameters["body_contains"], severity: parameters["severity"], sortOrder: order,
      limit: try integer(parameters, "limit", in: logLimit) ?? 50, offset: try integer(parameters, "offset", in: 0...Int.max) ?? 0
    )
  }

  /// Seconds since the epoch of an RFC 3339 date-time, or `nil` when `text` is not one.
  public static func seconds(_ text: String) -> Double? {
    RFC3339.seconds(text)
  }

  /// `from_date` and `to_date`, both required RFC 3339 date-times, `to_date` after `from_date`.
  static func window(_ parameters: [String: String]) throws(QueryParameterFailure) -> QueryWindow {
    var dates: [Double] = []
    for name in ["from_date", "to_date"] {
      guard let text = parameters[name] else { throw .required(name) }
      guard let seconds = RFC3339.seconds(text) else { throw .notADateTime(name, text) }
      dates.append(seconds)
    }
    guard dates[1] > dates[0] else {
      throw QueryParameterFailure(
        "to_date must be after from_date (from_date \(parameters["from_date"]!), to_date \(parameters["to_date"]!))")
    }
    return QueryWindow(from: dates[0], to: dates[1])
  }

  static func integer(_ parameters: [String: String], _ name: String, in range: ClosedRange<Int>) throws(QueryParameterFailure)
    -> Int?
  {
    guard let text = parameters[name] else { return nil }
    guard let value = Int(text) else { throw .notAnInteger(name, text) }
    guard range.contains(value) else { throw .outOfRange(name, value, range) }
    return value
  }

  static func choice(_ parameters: [String: String], _ name: String, _ allowed: [String]) throws(QueryParameterFailure) -> String?
  {
    guard let text = parameters[name] else { return nil }
    guard allowed.contains(text) else { throw .notOneOf(name, text, allowed) }
    return text
  }
}
