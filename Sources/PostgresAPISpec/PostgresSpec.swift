/// The facts of ClickHouse Cloud's Managed Postgres API that the emulator validates against.
///
/// The spec's own facts (enums, lengths, patterns, pgConfig settings) are generated into
/// `PostgresSpecTables.swift` by `scripts/gen-spec-tables`; this file adds what the spec leaves to the
/// server: defaults, the regions each provider offers and the storage each size comes with.
public enum PostgresSpec {
  /// `postgresVersion` when a create request leaves it out.
  public static let defaultPostgresVersion = "17"

  /// `haType` when a create request leaves it out.
  public static let defaultHaType = "none"

  /// Tag keys starting with this are reserved for ClickHouse's own use.
  public static let reservedTagKeyPrefix = "chc_"

  /// Every size of every provider, in the spec's order.
  public static var sizes: [String] {
    providers.flatMap { sizes(for: $0) }
  }

  /// The sizes `provider` offers (none for an unknown provider).
  public static func sizes(for provider: String) -> [String] {
    sizesByProvider[provider] ?? []
  }

  /// The provider whose size this is, or `nil` for an unknown size.
  public static func provider(ofSize size: String) -> String? {
    providers.first { sizes(for: $0).contains(size) }
  }

  /// The `pgConfig` setting called `name`, or `nil` when the API does not accept it.
  public static func setting(named name: String) -> PostgresSetting? {
    settings.first { $0.name == name }
  }
}

// MARK: - Regions (the emulator's own table)

extension PostgresSpec {
  /// The regions the emulator accepts for each provider.
  ///
  /// The Postgres spec types `region` as a bare string, so this is the emulator's choice: the regions
  /// ClickHouse Cloud lists for its services on each provider (`ServicePostRequest.region`), which
  /// ValidationTests checks against the spec.
  public static let regionsByProvider: [String: [String]] = [
    "aws": [
      "us-east-1", "us-east-2", "us-west-2", "ca-central-1", "eu-central-1", "eu-west-1", "eu-west-2",
      "il-central-1", "ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-southeast-1", "ap-southeast-2",
    ],
    "gcp": ["us-east1", "us-central1", "europe-west2", "europe-west4", "asia-southeast1", "asia-northeast1"],
  ]

  /// The regions `provider` offers (none for an unknown provider).
  public static func regions(for provider: String) -> [String] {
    regionsByProvider[provider] ?? []
  }
}

// MARK: - Storage (the emulator's own table)

extension PostgresSpec {
  /// The `storageSize` (GiB) a service of this size reports, or `nil` for an unknown size.
  ///
  /// Services run on instances with local NVMe storage, so the API derives `storageSize` from the size.
  /// Two points match what the live API reports (r6gd.medium → 59, r8gd.large → 118); the rest is the
  /// emulator's own, proportional to the instance: AWS sizes scale with the suffix (medium ½, large 1,
  /// xlarge 2, Nxlarge 2N) from 118 GiB per `large` for the general, compute and memory families and
  /// 468 or 1,250 GiB for the storage-optimised `i` families; GCP sizes scale with their vCPU count.
  public static func storageSize(for size: String) -> Int? {
    guard let provider = provider(ofSize: size) else { return nil }
    let gibibytes = provider == "aws" ? awsStorage(size) : gcpStorage(size)
    return gibibytes.map { Int($0.rounded()) }
  }

  /// GiB of an AWS size: the family's GiB per `large` times the suffix's multiple of `large`.
  private static func awsStorage(_ size: String) -> Double? {
    let parts = size.split(separator: ".", maxSplits: 1).map(String.init)
    guard parts.count == 2 else { return nil }
    let perLarge: Double =
      switch parts[0] {
      case "i7i", "i8g": 468
      case "i7ie", "i8ge": 1250
      default: 118
      }
    let suffix = parts[1]
    let multiple: Double
    switch suffix {
    case "medium": multiple = 0.5
    case "large": multiple = 1
    case "xlarge": multiple = 2
    default:
      guard suffix.hasSuffix("xlarge"), let count = Double(suffix.dropLast("xlarge".count)) else { return nil }
      multiple = 2 * count
    }
    return perLarge * multiple
  }

  /// GiB of a GCP size: its vCPU count (the last number of the name) times the GiB per vCPU of its
  /// local-SSD class (`lssd` 93.75, i.e. one 375 GiB disk per 4 vCPUs; `standardlssd` 187.5; `highlssd` 375).
  private static func gcpStorage(_ size: String) -> Double? {
    guard let last = size.split(separator: "-").last, let vCPUs = Double(last) else { return nil }
    let perVCPU: Double =
      if size.contains("-highlssd-") { 375 } else if size.contains("-standardlssd-") { 187.5 } else { 93.75 }
    return vCPUs * perVCPU
  }
}

// MARK: - pgConfig settings

/// One `pgConfig` setting the API accepts, with the JSON types and bounds the spec gives it.
public struct PostgresSetting: Sendable, Equatable {
  /// What values a setting takes.
  public enum Kind: Sendable, Equatable {
    /// A JSON integer, or a string PostgreSQL reads as one, with an optional unit (`"64MB"`, `"30s"`, `"-1"`).
    case integer
    /// A JSON number, or a string holding one (`"1.1"`).
    case number
    /// One of these strings.
    case choice([String])
  }

  /// The PostgreSQL parameter name, e.g. `work_mem`.
  public let name: String
  /// The values it takes.
  public let kind: Kind
  /// The smallest JSON number accepted (the spec bounds numbers only, not strings).
  public let minimum: Double?
  /// The largest JSON number accepted.
  public let maximum: Double?

  /// A setting as the spec declares it.
  public init(_ name: String, _ kind: Kind, minimum: Double? = nil, maximum: Double? = nil) {
    self.name = name
    self.kind = kind
    self.minimum = minimum
    self.maximum = maximum
  }
}
