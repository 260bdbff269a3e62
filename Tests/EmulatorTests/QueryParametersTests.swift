import PostgresAPISpec
import Testing

/// The query-string rules of the observability endpoints, without a server.
@Suite("Query parameters of metrics, slow queries and logs")
struct QueryParametersTests {
  private static let day: [(String, String)] = [("from_date", "2026-01-01T00:00:00Z"), ("to_date", "2026-01-02T00:00:00Z")]

  private static func failure(_ check: () throws(QueryParameterFailure) -> Void) -> String? {
    do {
      try check()
      return nil
    } catch {
      return error.message
    }
  }

  @Test(arguments: [
    ("2026-01-15T09:30:00Z", 1_768_469_400.0),
    ("2026-01-15T09:30:00.250Z", 1_768_469_400.25),
    ("2026-01-15T11:30:00+02:00", 1_768_469_400.0),
    ("2024-02-29t00:00:00z", 1_709_164_800.0),
    ("1970-01-01T00:00:00Z", 0.0),
  ])
  func rfc3339Seconds(_ text: String, _ expected: Double) {
    #expect(QueryParameters.seconds(text) == expected)
  }

  @Test(arguments: ["2026-02-30T00:00:00Z", "2026-01-15 09:30:00Z", "2026-01-15T09:30:00", "today", ""])
  func notDateTimes(_ text: String) {
    #expect(QueryParameters.seconds(text) == nil)
  }

  typealias Case = (parameters: [(String, String)], message: String)

  private static let metricsCases: [Case] = [
    ([("from_date", "2026-01-01T00:00:00Z")], "BAD_REQUEST: query parameter to_date is required"),
    (
      [("from_date", "x"), ("to_date", "2026-01-01T00:00:00Z")],
      #"BAD_REQUEST: query parameter from_date "x" is not an RFC 3339 date-time (e.g. 2026-01-15T09:30:00Z)"#
    ),
    (
      [("from_date", "2026-01-01T00:00:00Z"), ("to_date", "2026-01-01T00:00:00Z")],
      "BAD_REQUEST: to_date must be after from_date (from_date 2026-01-01T00:00:00Z, to_date 2026-01-01T00:00:00Z)"
    ),
    (day + [("bucket_size_seconds", "-5")], "BAD_REQUEST: query parameter bucket_size_seconds must be at least 1, not -5"),
    (day + [("bucket_size_seconds", "ten")], #"BAD_REQUEST: query parameter bucket_size_seconds must be an integer, not "ten""#),
  ]

  @Test(arguments: metricsCases)
  func metricsRefusals(_ refusal: Case) {
    let (parameters, expected) = refusal
    let dictionary = Dictionary(parameters, uniquingKeysWith: { $1 })
    #expect(Self.failure { () throws(QueryParameterFailure) in _ = try QueryParameters.metrics(dictionary) } == expected)
  }

  @Test func metricsDefaults() throws {
    let query = try QueryParameters.metrics(Dictionary(Self.day + [("bucket_size_seconds", "60")], uniquingKeysWith: { $1 }))
    #expect(query.window.to - query.window.from == 86400)
    #expect(query.bucketSize == 60)
  }

  private static let slowQueryCases: [Case] = [
    (day + [("sort_by", "total_durations")], #"BAD_REQUEST: query parameter sort_by "total_durations" is not one of "#),
    (day + [("sort_order", "up")], #"BAD_REQUEST: query parameter sort_order "up" is not one of asc, desc"#),
    (day + [("limit", "0")], "BAD_REQUEST: query parameter limit must be between 1 and 500, not 0"),
    (day + [("limit", "501")], "BAD_REQUEST: query parameter limit must be between 1 and 500, not 501"),
    (day + [("offset", "-1")], "BAD_REQUEST: query parameter offset must be at least 0, not -1"),
    ([("to_date", "2026-01-01T00:00:00Z")], "BAD_REQUEST: query parameter from_date is required"),
  ]

  @Test(arguments: slowQueryCases)
  func slowQueryRefusals(_ refusal: Case) {
    let (parameters, expected) = refusal
    let dictionary = Dictionary(parameters, uniquingKeysWith: { $1 })
    let message = Self.failure { () throws(QueryParameterFailure) in _ = try QueryParameters.slowQueryPatterns(dictionary) }
    #expect(message?.hasPrefix(expected) == true, "\(message ?? "accepted")")
  }

  @Test func slowQueryDefaultsAndSuggestion() throws {
    let query = try QueryParameters.slowQueryPatterns(Dictionary(Self.day, uniquingKeysWith: { $1 }))
    #expect(query.sortBy == "total_duration")
    #expect(query.sortOrder == .descending)
    #expect(query.limit == 20)
    #expect(query.offset == 0)
    let message = Self.failure { () throws(QueryParameterFailure) in
      _ = try QueryParameters.slowQueryPatterns(Dictionary(Self.day + [("sort_by", "call_cuont")], uniquingKeysWith: { $1 }))
    }
    #expect(message?.hasSuffix("did you mean call_count?") == true, "\(message ?? "")")
    let detail = Self.failure { () throws(QueryParameterFailure) in
      _ = try QueryParameters.slowQueryPattern(["db_name": "postgres", "db_user": "postgres"])
    }
    #expect(detail == "BAD_REQUEST: query parameter db_operation is required")
  }

  @Test func logWindowsAndDefaults() throws {
    let query = try QueryParameters.logs(Dictionary(Self.day, uniquingKeysWith: { $1 }))
    #expect(query.sortOrder == .descending)
    #expect(query.limit == 50)
    #expect(query.offset == 0)
    let long = Self.failure { () throws(QueryParameterFailure) in
      _ = try QueryParameters.logs(["from_date": "2026-01-01T00:00:00Z", "to_date": "2026-02-01T00:00:00Z"])
    }
    #expect(long == "BAD_REQUEST: the time range from from_date to to_date must not exceed 30 days")
    // Exactly 30 days is allowed.
    _ = try QueryParameters.logs(["from_date": "2026-01-01T00:00:00Z", "to_date": "2026-01-31T00:00:00Z"])
  }
}
