// The Emulator target: a local twin of ClickHouse Cloud's Managed Postgres API on Hummingbird 2,
// every service a real PostgreSQL cluster (PostgresCluster). It may import JQ, FileIO and
// PostgresCluster, never the interpreter or the terminal.

/// How to run a local emulator.
public struct EmulatorConfiguration: Sendable {
  /// Address to listen on (loopback by default).
  public var host: String
  /// Port to listen on; 0 picks a free one.
  public var port: Int
  /// Where state, the CA and the clusters live.
  public var dataDirectory: String
  /// Credentials to accept; generated (and kept in the data directory) when `nil`.
  public var keyID: String?
  /// The secret for `keyID`.
  public var keySecret: String?
  /// Extra seconds a create or restart waits before the service reaches `running` (for demos).
  public var provisionDelay: Double
  /// Seconds a size or haType change keeps the service in its transition state (`restarting`) before it
  /// is `running` again.
  public var transitionDuration: Double
  /// Requests allowed per window per key, or `nil` for no limit (live: 10 per 10 s).
  public var rateLimit: (requests: Int, seconds: Double)?
  /// Share of requests (0…1) that fail on purpose, and the seed that makes the sequence repeatable.
  public var faultRate: Double
  /// Seed for `faultRate`.
  public var faultSeed: UInt64
  /// Which faults to draw from (`faultKindNames`); empty: all.
  public var faultKinds: [String] = []
  /// The faults there are: `500`, `503`, `429`, `reset`, `slow`, and after the effect `lost`, `slow-effect`.
  public static var faultKindNames: [String] { FaultInjector.Kind.allCases.map(\.rawValue) }
  /// Seconds after a primary first runs before its first base backup (replicas and restores need one).
  public var backupDelay: Double
  /// Seconds between later base backups (live: daily).
  public var backupInterval: Double

  /// Seconds between two samples of each running service's statistics (`GET …/metrics`).
  public var metricsInterval: Double = 15
  /// Seconds a connection may stay silent (between requests, or in the middle of sending one) before
  /// the server closes it.
  public var idleTimeout: Double = 60
  /// For tests: this many of the first new clusters fail to start, as one whose address another
  /// process took in the meantime would (see `ServiceLifecycle.clusterStartAttempts`).
  public var failingClusterStarts = 0
  /// For tests: serve only these PostgreSQL majors of those installed (nil: all of them).
  public var onlyMajors: [Int]?

  /// A configuration with the live API's defaults.
  public init(
    host: String = "127.0.0.1", port: Int = 0, dataDirectory: String, keyID: String? = nil, keySecret: String? = nil,
    provisionDelay: Double = 0, transitionDuration: Double = 3, rateLimit: (requests: Int, seconds: Double)? = (10, 10),
    faultRate: Double = 0, faultSeed: UInt64 = 1, backupDelay: Double = 5, backupInterval: Double = 86400
  ) {
    self.host = host
    self.port = port
    self.dataDirectory = dataDirectory
    self.keyID = keyID
    self.keySecret = keySecret
    self.provisionDelay = provisionDelay
    self.transitionDuration = transitionDuration
    self.rateLimit = rateLimit
    self.faultRate = faultRate
    self.faultSeed = faultSeed
    self.backupDelay = backupDelay
    self.backupInterval = backupInterval
  }
}
