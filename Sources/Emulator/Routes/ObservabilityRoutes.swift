import Hummingbird
import JQ
import Logging
import PostgresAPISpec

/// The observability endpoints — Prometheus text, sampled metrics, slow query patterns and server logs —
/// all read from the services' real clusters.
struct ObservabilityRoutes {
  let state: EmulatorState
  let clusters: LocalClusters?
  let sampler: MetricsSampler
  let logger: Logger

  /// At most this many services in the organization-wide Prometheus text (the API's limit).
  static let prometheusServiceLimit = 100
  /// At most this many recent executions in a slow query pattern's detail.
  static let recentExecutionLimit = 50

  private static let base = "/v1/organizations/:organizationId/postgres"

  func register(on router: Router<EmulatorContext>) {
    router.get(RouterPath(Self.base + "/prometheus")) { _, context in
      try checkOrganization(context)
      let services = await state.services.prefix(Self.prometheusServiceLimit)
      return await prometheus(Array(services))
    }
    router.get(RouterPath(Self.base + "/:postgresId/prometheus")) { _, context in
      await prometheus([try await resolve(context)])
    }
    router.get(RouterPath(Self.base + "/:postgresId/metrics")) { request, context in
      let service = try await resolve(context)
      let query = try Self.validated { () throws(QueryParameterFailure) in try QueryParameters.metrics(Self.parameters(request)) }
      let bucket = MetricsReport.bucketSize(requested: query.bucketSize, window: query.window, samplingInterval: sampler.interval)
      let history = await sampler.history(of: service.id)
      return Envelope.success(
        MetricsReport.json(history: history, window: query.window, bucketSize: bucket), requestID: context.requestID)
    }
    router.get(RouterPath(Self.base + "/:postgresId/slowQueryPatterns")) { request, context in
      let service = try await resolve(context)
      let query = try Self.validated { () throws(QueryParameterFailure) in
        try QueryParameters.slowQueryPatterns(Self.parameters(request))
      }
      let patterns = try await slowQueryPatterns(service, query)
      return Envelope.success(JSONValue(array: patterns.map(\.json)), requestID: context.requestID)
    }
    router.get(RouterPath(Self.base + "/:postgresId/slowQueryPatterns/:queryId")) { request, context in
      let service = try await resolve(context)
      let query = try Self.validated { () throws(QueryParameterFailure) in
        try QueryParameters.slowQueryPattern(Self.parameters(request))
      }
      let queryID = context.parameters.get("queryId") ?? ""
      return Envelope.success(try await slowQueryPattern(service, queryID, query), requestID: context.requestID)
    }
    router.get(RouterPath(Self.base + "/:postgresId/logs")) { request, context in
      let service = try await resolve(context)
      let query = try Self.validated { () throws(QueryParameterFailure) in try QueryParameters.logs(Self.parameters(request)) }
      let entries = try await logs(service, query)
      return Envelope.success(JSONValue(array: entries.map(\.json)), requestID: context.requestID)
    }
  }

  // MARK: Prometheus

  /// The exposition of `services`; a service that is not running, or whose server does not answer, is `up 0`.
  private func prometheus(_ services: [ServiceRecord]) async -> Response {
    let clusters = clusters
    let logger = logger
    let readings = await withTaskGroup(of: (Int, ServiceStatistics?).self) { group in
      for (index, service) in services.enumerated() where service.state == .running {
        group.addTask {
          guard let clusters else { return (index, nil) }
          do {
            return (index, try await ServiceStatistics.read(serviceID: service.id, from: clusters))
          } catch {
            // The scrape says so with `up 0`; the reason is for whoever runs the emulator.
            logger.notice("service \(service.id): no statistics for Prometheus: \(error)")
            return (index, nil)
          }
        }
      }
      var readings: [Int: ServiceStatistics] = [:]
      for await (index, statistics) in group { readings[index] = statistics }
      return readings
    }
    let exposition = PrometheusExposition(services: services.enumerated().map { ($1, readings[$0]) })
    return Response(
      status: .ok, headers: [.contentType: PrometheusExposition.contentType],
      body: .init(byteBuffer: ByteBuffer(string: exposition.text)))
  }

  // MARK: Slow queries

  private func slowQueryPatterns(_ service: ServiceRecord, _ query: SlowQueryPatternsQuery) async throws -> [SlowQueryPattern] {
    var patterns = try await allPatterns(service, errorsWithin: query.window)
    patterns = patterns.filter { pattern in
      (query.databaseName.map { $0 == pattern.databaseName } ?? true)
        && (query.databaseUser.map { $0 == pattern.databaseUser } ?? true)
        && (query.operation.map { $0.uppercased() == pattern.operation } ?? true)
        && (query.application.map { $0 == pattern.application } ?? true)
        // A pattern first tracked after the window cannot have run in it.
        && (pattern.trackedSince.map { $0 < query.window.to } ?? true)
    }
    let field = query.sortBy
    patterns.sort { left, right in
      let (a, b) = (left.sortValue(field), right.sortValue(field))
      if a != b { return query.sortOrder == .ascending ? a < b : a > b }
      return left.queryID < right.queryID
    }
    return Array(patterns.dropFirst(query.offset).prefix(query.limit))
  }

  private func slowQueryPattern(_ service: ServiceRecord, _ queryID: String, _ query: SlowQueryPatternQuery) async throws
    -> JSONValue
  {
    // The log's executions of the last 30 days: as far back as the logs endpoint reaches.
    let now = Timestamp.seconds()
    let window = QueryWindow(from: now - QueryParameters.longestLogWindow, to: now + 1)
    let patterns = try await allPatterns(service, errorsWithin: window)
    guard
      let pattern = patterns.first(where: {
        $0.queryID == queryID && $0.databaseName == query.databaseName && $0.databaseUser == query.databaseUser
          && $0.operation == query.operation.uppercased() && (query.application == nil || query.application == $0.application)
      })
    else {
      throw APIError.notFound(
        "no query pattern \(queryID) for database \(query.databaseName), user \(query.databaseUser) and operation \(query.operation)"
      )
    }
    var executions = try await logEntries(service, window).filter { QueryExecution.matches($0, pattern) }
    if let timestamp = query.timestamp { executions = executions.filter { abs($0.time - timestamp) < 0.001 } }
    let role = service.isPrimary ? "primary" : "standby"
    let recent = executions.suffix(Self.recentExecutionLimit).reversed().map {
      QueryExecution(entry: $0, pattern: pattern, serverRole: role).json
    }
    return JSONValue(object: [("aggregate", pattern.json), ("recentExecutions", JSONValue(array: Array(recent)))])
  }

  /// The service's patterns with their error counts from the log entries within `window`.
  private func allPatterns(_ service: ServiceRecord, errorsWithin window: QueryWindow) async throws -> [SlowQueryPattern] {
    let clusters = try requireCluster(service)
    guard service.state == .running else {
      throw APIError.badRequest("Postgres service \(service.id) is \(service.state), not running")
    }
    var patterns: [SlowQueryPattern]
    do {
      patterns = try await SlowQueryPattern.all(serviceID: service.id, from: clusters)
    } catch {
      throw APIError.internalError("could not read pg_stat_statements: \(error)")
    }
    let errors = try await logEntries(service, window).filter {
      ["ERROR", "FATAL", "PANIC"].contains($0.severity) && $0.queryID != nil
    }
    for index in patterns.indices {
      patterns[index].errors = errors.filter { QueryExecution.matches($0, patterns[index]) }.count
    }
    return patterns
  }

  // MARK: Logs

  private func logs(_ service: ServiceRecord, _ query: LogsQuery) async throws -> [ServerLogEntry] {
    var entries = try await logEntries(service, query.window)
    if let text = query.bodyContains { entries = entries.filter { $0.body.contains(text) } }
    if let severity = query.severity?.uppercased() { entries = entries.filter { $0.severity == severity } }
    if query.sortOrder == .descending { entries.reverse() }
    return Array(entries.dropFirst(query.offset).prefix(query.limit))
  }

  private func logEntries(_ service: ServiceRecord, _ window: QueryWindow) async throws -> [ServerLogEntry] {
    let clusters = try requireCluster(service)
    let files = (try? await clusters.serverLogFiles(serviceID: service.id)) ?? []
    return ServerLog.entries(in: files, from: window.from, to: window.to)
  }

  // MARK: Lookups

  /// Slow queries read the running server; logs only need the cluster to exist.
  private func requireCluster(_ service: ServiceRecord) throws -> LocalClusters {
    guard let clusters, ![.creating, .deleting].contains(service.state) else {
      throw APIError.badRequest("Postgres service \(service.id) is \(service.state), not running")
    }
    return clusters
  }

  private func checkOrganization(_ context: EmulatorContext) throws {
    guard context.parameters.get("organizationId") == state.organization.id else { throw APIError.organizationNotFound }
  }

  /// The service in the path, with the same answers as the other Postgres endpoints (see `PostgresRoutes`).
  private func resolve(_ context: EmulatorContext) async throws -> ServiceRecord {
    try checkOrganization(context)
    let id = context.parameters.get("postgresId") ?? ""
    guard Identifiers.isUUID(id) else { throw APIError.invalidServiceID(id) }
    if let service = await state.service(id.lowercased()) { return service }
    if await state.wasDeleted(id.lowercased()) { throw APIError.notFound("Postgres service \(id) was deleted") }
    throw APIError.invalidServiceID(id)
  }

  /// The query string as name → value (the last of repeated names wins).
  static func parameters(_ request: Request) -> [String: String] {
    var parameters: [String: String] = [:]
    for (name, value) in request.uri.queryParameters { parameters[String(name)] = String(value) }
    return parameters
  }

  /// Runs a query-string validation and turns its failure into the API's 400.
  static func validated<Value>(_ check: () throws(QueryParameterFailure) -> Value) throws -> Value {
    do {
      return try check()
    } catch {
      throw APIError(status: .badRequest, text: error.message)
    }
  }
}
