import Outcomes

/// Where API calls go, with which key and for which organization, as found from the command line,
/// the environment, a `.env` file and a profile (first found wins, field by field).
public struct ConnectionSettings: Sendable {
  /// The base URL.
  public var endpoint: EndpointURL
  /// The API key.
  public var credentials: APICredentials
  /// The organization, when one was named; otherwise it is discovered from the key.
  public var organizationID: String?
  /// Where the key came from, for messages (`--key-id`, `environment`, `.env`, `profile work`).
  public var credentialSource: String
  /// Whether the key came from a profile marked `read_only`: only GET requests may be sent.
  public var readOnly: Bool

  /// Settings with every field given.
  public init(
    endpoint: EndpointURL, credentials: APICredentials, organizationID: String?, credentialSource: String, readOnly: Bool = false
  ) {
    self.endpoint = endpoint
    self.credentials = credentials
    self.organizationID = organizationID
    self.credentialSource = credentialSource
    self.readOnly = readOnly
  }
}

/// What mpg's command line said about the connection.
public struct ConnectionOptions: Sendable {
  /// `--endpoint URL`.
  public var endpoint: String?
  /// `--key-id`.
  public var keyID: String?
  /// `--key-secret`.
  public var keySecret: String?
  /// `--org`.
  public var organizationID: String?
  /// `--profile`.
  public var profile: String?

  /// Options as given.
  public init(
    endpoint: String? = nil, keyID: String? = nil, keySecret: String? = nil, organizationID: String? = nil, profile: String? = nil
  ) {
    self.endpoint = endpoint
    self.keyID = keyID
    self.keySecret = keySecret
    self.organizationID = organizationID
    self.profile = profile
  }
}

/// Finds the connection settings: flags first, then `CLICKHOUSE_CLOUD_API_KEY`/`_SECRET` (and
/// `CLICKHOUSE_CLOUD_ORG_ID`, `CLICKHOUSE_CLOUD_API_URL`) from the environment, then the same names in
/// `./.env`, then a profile.
public struct ConnectionResolver: Sendable {
  /// The command line's options.
  public var options: ConnectionOptions
  /// The process environment.
  public var environment: [String: String]
  /// The variables of `./.env`.
  public var dotEnv: [String: String]
  /// The saved profiles.
  public var profiles: ProfileStore

  /// A resolver over the given sources.
  public init(options: ConnectionOptions, environment: [String: String], dotEnv: [String: String], profiles: ProfileStore) {
    self.options = options
    self.environment = environment
    self.dotEnv = dotEnv
    self.profiles = profiles
  }

  /// The variable names of the official CLI.
  public static let keyVariable = "CLICKHOUSE_CLOUD_API_KEY"
  /// The secret's variable.
  public static let secretVariable = "CLICKHOUSE_CLOUD_API_SECRET"
  /// The organization's variable.
  public static let organizationVariable = "CLICKHOUSE_CLOUD_ORG_ID"
  /// The base URL's variable.
  public static let endpointVariable = "CLICKHOUSE_CLOUD_API_URL"

  /// The settings, or a `SetupFailure` (exit 4) that lists every way to give a key.
  public func resolve() throws(SetupFailure) -> ConnectionSettings {
    // An empty variable counts as unset, as in most tools.
    let environment = self.environment.filter { !$0.value.isEmpty }
    let dotEnv = self.dotEnv.filter { !$0.value.isEmpty }
    let profileName = options.profile ?? environment["MPG_PROFILE"] ?? profiles.defaultProfileName
    let profile: Profile?
    if let profileName {
      profile = try profiles.profile(named: profileName)
      if profile == nil, options.profile != nil || environment["MPG_PROFILE"] != nil {
        throw SetupFailure(
          "there is no profile `\(profileName)` in \(profiles.path); `mpg profile list` shows them", kind: .auth,
          exitCode: ExitStatus.authentication)
      }
    } else {
      profile = nil
    }

    var credentials: APICredentials?
    var source = ""
    var readOnly = false
    if options.keyID != nil || options.keySecret != nil {
      guard let id = options.keyID, let secret = options.keySecret else {
        throw SetupFailure("--key-id and --key-secret go together", kind: .auth, exitCode: ExitStatus.authentication)
      }
      credentials = APICredentials(keyID: id, keySecret: secret)
      source = "--key-id"
    } else if let id = environment[Self.keyVariable], let secret = environment[Self.secretVariable], !id.isEmpty {
      credentials = APICredentials(keyID: id, keySecret: secret)
      source = "the environment"
    } else if let id = dotEnv[Self.keyVariable], let secret = dotEnv[Self.secretVariable], !id.isEmpty {
      credentials = APICredentials(keyID: id, keySecret: secret)
      source = ".env"
    } else if let profile, let id = profile.keyID, let secret = profile.keySecret {
      credentials = APICredentials(keyID: id, keySecret: secret)
      source = "profile \(profile.name)"
      readOnly = profile.readOnly
    }
    guard let credentials else { throw Self.missingCredentials }

    let endpointText =
      options.endpoint ?? environment[Self.endpointVariable] ?? dotEnv[Self.endpointVariable] ?? profile?.endpoint ?? liveEndpoint
    guard let endpoint = EndpointURL(endpointText) else {
      throw SetupFailure(
        "`\(endpointText)` is not an API base URL; write it as https://HOST[:PORT]", exitCode: ExitStatus.usageError)
    }
    let organization =
      options.organizationID ?? environment[Self.organizationVariable] ?? dotEnv[Self.organizationVariable]
      ?? profile?.organizationID
    return ConnectionSettings(
      endpoint: endpoint, credentials: credentials, organizationID: organization, credentialSource: source, readOnly: readOnly)
  }

  /// The message for a run that needs the API but has no key.
  public static let missingCredentials = SetupFailure(
    """
    no API key: give one with --key-id and --key-secret, set \(keyVariable) and \(secretVariable) \
    (in the environment or a .env file here), or save a profile with `mpg profile set NAME`; \
    or use --local to work against the local emulator
    """, kind: .auth, exitCode: ExitStatus.authentication)
}
