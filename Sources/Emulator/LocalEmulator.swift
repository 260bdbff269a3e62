import EventLoopExecution
import FileIO
import FoundationEssentials
import Hummingbird
import Logging
import NIOCore
import NIOPosix

#if canImport(Glibc)
  import Glibc
#endif

/// A running emulator: its base URL, organization and credentials. `mpg emulator serve` and
/// `mpg --local` start one in-process; `stop()` shuts the server and every cluster down.
public final class LocalEmulator: Sendable {
  /// e.g. `http://127.0.0.1:41234`.
  public let baseURL: String
  /// The one organization's id.
  public let organizationID: String
  /// The API key id (HTTP Basic user).
  public let keyID: String
  /// The API key secret (HTTP Basic password).
  public let keySecret: String
  private let server: Task<Void, any Error>
  /// The server's event loops, which also run its request handlers.
  private let loopGroup: MultiThreadedEventLoopGroup
  private let clusters: (any ClusterBackend)?
  private let work: ServiceWork
  private let backups: BackupSchedule
  /// Samples the running services' statistics for `GET …/metrics`.
  private let sampler: MetricsSampler
  private let counter: RequestCounter
  /// This emulator's ownership of its data directory, given up last when it stops.
  private let ownership: DataDirectoryLock
  private let dataDirectory: String
  /// Reclaims, in the background, what emulators that are gone left (see `OrphanCollector`).
  private let collection: Task<Void, Never>

  /// The PostgreSQL majors new services can have here (those installed).
  public var postgresMajors: [Int] { clusters?.servableMajors ?? [] }

  /// What `DATA/server.json` says about this emulator.
  public var serverFile: ServerFile {
    ServerFile(
      url: baseURL, organizationID: organizationID, keyID: keyID, keySecret: keySecret, processID: getpid(),
      postgresMajors: postgresMajors)
  }

  /// How many API requests the emulator has received (whatever became of them).
  public var requestsReceived: Int { counter.total }

  /// How many requests its rate limit refused with 429.
  public var requestsRateLimited: Int { counter.rateLimited }

  private init(
    baseURL: String, organizationID: String, key: APIKey, server: Task<Void, any Error>, loopGroup: MultiThreadedEventLoopGroup,
    clusters: (any ClusterBackend)?, work: ServiceWork, backups: BackupSchedule, sampler: MetricsSampler, counter: RequestCounter,
    ownership: DataDirectoryLock, dataDirectory: String
  ) {
    self.ownership = ownership
    self.dataDirectory = dataDirectory
    self.collection = Task { _ = await OrphanCollector.collect() }
    self.baseURL = baseURL
    self.organizationID = organizationID
    self.keyID = key.id
    self.keySecret = key.secret
    self.server = server
    self.loopGroup = loopGroup
    self.clusters = clusters
    self.work = work
    self.backups = backups
    self.sampler = sampler
    self.counter = counter
  }

  /// Starts an emulator and returns once it accepts connections. Throws an `EmulatorError` with
  /// `ownerProcessID` when another emulator serves from the data directory: one directory, one owner.
  public static func start(_ configuration: EmulatorConfiguration) async throws -> LocalEmulator {
    try Directories.create(configuration.dataDirectory)
    let ownership = try DataDirectoryLock.acquire(configuration.dataDirectory)
    let emulator: LocalEmulator
    do {
      emulator = try await start(configuration, owning: ownership)
    } catch {
      ownership.release()
      throw error
    }
    do {
      try emulator.serverFile.write(dataDirectory: configuration.dataDirectory)
    } catch {
      await emulator.stop()
      throw EmulatorError("cannot write \(ServerFile.path(configuration.dataDirectory)): \(error)")
    }
    return emulator
  }

  private static func start(_ configuration: EmulatorConfiguration, owning ownership: DataDirectoryLock) async throws
    -> LocalEmulator
  {
    let requestedKey = configuration.keyID.map { APIKey(id: $0, secret: configuration.keySecret ?? "") }
    let state = try EmulatorState(directory: configuration.dataDirectory, requestedKey: requestedKey)
    let authority = try CertificateAuthority(directory: configuration.dataDirectory)
    var logger = Logger(label: "mpg.emulator")
    logger.logLevel = .notice
    let clusters = try await LocalClusters.prepare(
      dataDirectory: configuration.dataDirectory, onlyMajors: configuration.onlyMajors, logger: logger)
    await clusters.injectStartFailures(configuration.failingClusterStarts)
    let router = Router(context: EmulatorContext.self)
    let counter = RequestCounter()
    router.add(
      middleware: APIGatewayMiddleware(
        key: state.key,
        rateLimiter: RateLimiter(rule: configuration.rateLimit.map { ($0.requests, $0.seconds) }),
        faults: configuration.faultRate > 0
          ? FaultInjector(
            rate: configuration.faultRate, kinds: configuration.faultKinds.compactMap(FaultInjector.Kind.init(rawValue:)),
            seed: configuration.faultSeed)
          : nil,
        counter: counter
      ))
    OrganizationRoutes(state: state).register(on: router)
    let work = ServiceWork()
    let lifecycle = ServiceLifecycle(
      state: state, authority: authority, clusters: clusters, provisionDelay: configuration.provisionDelay,
      transitionDuration: configuration.transitionDuration, work: work, logger: logger)
    let routes = PostgresRoutes(state: state, authority: authority, lifecycle: lifecycle)
    routes.register(on: router)
    BackupRoutes(postgres: routes).register(on: router)
    ReplicaRoutes(postgres: routes).register(on: router)
    RestoreRoutes(postgres: routes).register(on: router)
    let sampler = MetricsSampler(interval: configuration.metricsInterval)
    ObservabilityRoutes(state: state, clusters: clusters, sampler: sampler, logger: logger).register(on: router)
    await lifecycle.reconcile()
    let backups = BackupSchedule(
      state: state, clusters: clusters, work: work, delay: configuration.backupDelay, interval: configuration.backupInterval,
      logger: logger)
    await backups.start()
    await sampler.start(state: state, clusters: clusters)

    let (portStream, portContinuation) = AsyncStream<Int>.makeStream()
    // The server's loops run its handlers too (their tasks prefer the loops as executor): a request goes
    // from socket to handler and back on its connection's loop, without a thread hand-over. Cluster
    // work runs in `ServiceWork`'s own tasks, off the loops.
    let loopGroup = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
    let executor = EventLoopTaskExecutor(group: loopGroup)
    let connections = ConnectionRegistry(capacity: ConnectionRegistry.capacityForThisProcess())
    let application = Application(
      router: router,
      server: .http1(
        configuration: .init(
          additionalChannelHandlers: [ConnectionTracker(registry: connections), BareErrorEnvelope()],
          idleTimeout: .milliseconds(Int64(configuration.idleTimeout * 1000)))),
      configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "mpg-emulator"),
      onServerRunning: { channel in
        portContinuation.yield(channel.localAddress?.port ?? 0)
        portContinuation.finish()
      },
      eventLoopGroupProvider: .shared(loopGroup),
      logger: Logger(label: "mpg.emulator.http") { CriticalOnlyLogHandler(label: $0) }
    )
    let server = Task { try await withTaskExecutorPreference(executor) { try await application.run() } }
    var port: Int?
    for await value in portStream {
      port = value
      break
    }
    guard let port, port > 0 else {
      server.cancel()
      await backups.stop()
      await sampler.stop()
      await work.cancelAll()
      await clusters.stopAll()
      try? await loopGroup.shutdownGracefully()
      throw EmulatorError("the emulator could not listen on \(configuration.host):\(configuration.port)")
    }
    return LocalEmulator(
      baseURL: "http://\(configuration.host):\(port)", organizationID: state.organization.id, key: state.key, server: server,
      loopGroup: loopGroup, clusters: clusters, work: work, backups: backups, sampler: sampler, counter: counter,
      ownership: ownership, dataDirectory: configuration.dataDirectory)
  }

  /// Stops the server and every cluster. Transitions cut short stay in the state file, and the next
  /// start finishes them.
  public func stop() async {
    server.cancel()
    _ = await server.result
    await backups.stop()
    await sampler.stop()
    // Before the clusters stop: a create still running would otherwise start its cluster afterwards.
    await work.cancelAll()
    await clusters?.stopAll()
    // Last: work that a request started may still have jobs queued on the server's loops.
    try? await loopGroup.shutdownGracefully()
    await collection.value
    ServerFile.remove(dataDirectory: dataDirectory)
    ownership.release()
  }
}

/// A failure to start or run the emulator, in words for the user.
public struct EmulatorError: Error, CustomStringConvertible, Sendable {
  /// What went wrong.
  public let description: String
  /// When the data directory is another emulator's: that process's pid (0 when it is not known).
  public let ownerProcessID: Int32?

  init(_ description: String, ownerProcessID: Int32? = nil) {
    self.description = description
    self.ownerProcessID = ownerProcessID
  }
}

/// Creating directories (with parents) on the C library.
enum Directories {
  static func create(_ path: String) throws {
    var current = path.hasPrefix("/") ? "" : "."
    for component in path.split(separator: "/") {
      current += "/" + component
      if mkdir(current, 0o700) != 0, errno != EEXIST {
        throw EmulatorError("cannot create \(current): \(String(cString: strerror(errno)))")
      }
    }
  }
}

extension LocalEmulator {
  /// Stops every cluster left in `dataDirectory` and deletes the directory.
  public static func reset(dataDirectory: String) async throws {
    guard access(dataDirectory, F_OK) == 0 else { return }
    // Never from under a running emulator; held until the directory (and the lock file) are gone.
    let ownership = try DataDirectoryLock.acquire(dataDirectory)
    defer { ownership.release() }
    try await LocalClusters.removeAll(dataDirectory: dataDirectory)
    do {
      try FileSystem.removeTree(dataDirectory)
    } catch {
      throw EmulatorError("cannot delete \(dataDirectory): \(error)")
    }
  }
}
