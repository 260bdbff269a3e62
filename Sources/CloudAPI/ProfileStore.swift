import FileIO
import Outcomes
import TOMLKit

/// One saved profile: a key, and optionally an organization and endpoint.
public struct Profile: Sendable, Equatable {
  /// Its name.
  public var name: String
  /// The API key id.
  public var keyID: String?
  /// The API key secret.
  public var keySecret: String?
  /// The organization to use.
  public var organizationID: String?
  /// The base URL, when not the live API.
  public var endpoint: String?
  /// Whether sessions that use this profile's key send only GET requests (`read_only = true`).
  public var readOnly = false

  /// A profile.
  public init(
    name: String, keyID: String? = nil, keySecret: String? = nil, organizationID: String? = nil, endpoint: String? = nil,
    readOnly: Bool = false
  ) {
    self.name = name
    self.keyID = keyID
    self.keySecret = keySecret
    self.organizationID = organizationID
    self.endpoint = endpoint
    self.readOnly = readOnly
  }
}

/// Profiles in `$XDG_CONFIG_HOME/mpg/config.toml` (0600, written atomically):
///
///     default_profile = "work"
///     [profiles.work]
///     key_id = "…"
///     key_secret = "…"
///     organization_id = "…"
///     endpoint = "https://api.clickhouse.cloud"
///     read_only = true
public struct ProfileStore: Sendable {
  /// The file.
  public let path: String

  /// The store at `path`.
  public init(path: String) {
    self.path = path
  }

  /// The store in the XDG config directory.
  public static func standard(environment: [String: String] = ProcessEnvironment.current) -> ProfileStore {
    ProfileStore(path: StateDirectories.config(environment: environment) + "/config.toml")
  }

  /// The profile used when none is named, if the file names one (or holds exactly one).
  public var defaultProfileName: String? {
    guard let document = try? load() else { return nil }
    if let name = document.defaultProfile { return name }
    return document.profiles.count == 1 ? document.profiles[0].name : nil
  }

  /// The profile called `name`, if saved.
  public func profile(named name: String) throws(SetupFailure) -> Profile? {
    try load().profiles.first { $0.name == name }
  }

  /// Every profile and the default's name.
  public func load() throws(SetupFailure) -> (profiles: [Profile], defaultProfile: String?) {
    guard let text = try? FileText.read(path) else { return ([], nil) }
    let table: TOMLTable
    do {
      table = try TOMLTable(string: text)
    } catch let error as TOMLParseError {
      throw SetupFailure(
        "\(path):\(error.source.begin.line):\(error.source.begin.column): error: \(error.description)",
        exitCode: ExitStatus.usageError)
    } catch {
      throw SetupFailure("\(path): error: \(error)", exitCode: ExitStatus.usageError)
    }
    var profiles: [Profile] = []
    if let section = table["profiles"]?.table {
      for name in section.keys.sorted() {
        guard let entry = section[name]?.table else { continue }
        profiles.append(
          Profile(
            name: name, keyID: entry["key_id"]?.string, keySecret: entry["key_secret"]?.string,
            organizationID: entry["organization_id"]?.string, endpoint: entry["endpoint"]?.string,
            readOnly: entry["read_only"]?.bool ?? false
          ))
      }
    }
    return (profiles, table["default_profile"]?.string)
  }

  /// Saves (adds or replaces) a profile; `makeDefault` also makes it the default.
  public func save(_ profile: Profile, makeDefault: Bool) throws(SetupFailure) {
    var (profiles, defaultProfile) = try load()
    profiles.removeAll { $0.name == profile.name }
    profiles.append(profile)
    if makeDefault || defaultProfile == nil { defaultProfile = profile.name }
    try write(profiles, defaultProfile: defaultProfile)
  }

  /// Removes a profile; returns whether it existed.
  @discardableResult
  public func remove(named name: String) throws(SetupFailure) -> Bool {
    var (profiles, defaultProfile) = try load()
    let before = profiles.count
    profiles.removeAll { $0.name == name }
    guard profiles.count != before else { return false }
    if defaultProfile == name { defaultProfile = profiles.first?.name }
    try write(profiles, defaultProfile: defaultProfile)
    return true
  }

  /// Makes `name` the default profile.
  public func setDefault(_ name: String) throws(SetupFailure) {
    let (profiles, _) = try load()
    guard profiles.contains(where: { $0.name == name }) else {
      throw SetupFailure("there is no profile `\(name)`", exitCode: ExitStatus.usageError)
    }
    try write(profiles, defaultProfile: name)
  }

  private func write(_ profiles: [Profile], defaultProfile: String?) throws(SetupFailure) {
    let table = TOMLTable()
    if let defaultProfile { table["default_profile"] = defaultProfile }
    let section = TOMLTable()
    for profile in profiles {
      let entry = TOMLTable()
      if let value = profile.keyID { entry["key_id"] = value }
      if let value = profile.keySecret { entry["key_secret"] = value }
      if let value = profile.organizationID { entry["organization_id"] = value }
      if let value = profile.endpoint { entry["endpoint"] = value }
      if profile.readOnly { entry["read_only"] = true }
      section[profile.name] = entry
    }
    table["profiles"] = section
    if let slash = path.lastIndex(of: "/") { try StateDirectories.create(String(path[..<slash])) }
    do {
      try FileText.writeAtomically(
        "# mpg profiles: `mpg profile --help`. Holds API secrets: keep it 0600.\n" + table.convert(to: .toml) + "\n", to: path,
        mode: 0o600, exactMode: true)
    } catch {
      throw SetupFailure("cannot save profiles: \(error.message)")
    }
  }
}
