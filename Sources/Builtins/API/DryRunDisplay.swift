import CloudAPI

/// What a dry run answered by a throwaway twin shows in its curl commands: the API a real run would
/// reach and its organization (`$CLICKHOUSE_CLOUD_ORG_ID` when none is known).
public struct DryRunDisplay: Sendable {
  /// The real API's base URL; `nil` shows the twin's own (`--local --dry-run`).
  public var endpoint: EndpointURL?
  /// The organization a real run would use, when flags or the environment name it.
  public var organizationID: String?

  /// A display with both given.
  public init(endpoint: EndpointURL?, organizationID: String?) {
    self.endpoint = endpoint
    self.organizationID = organizationID
  }
}
