import CloudAPI
import Foundation
import Testing

/// Where the key, endpoint and organization come from, and in which order.
struct ConnectionSettingsTests {
  let empty = ProfileStore(path: "/nonexistent/mpg/config.toml")

  @Test func flagsWinOverEnvironmentWhichWinsOverDotEnv() throws {
    let environment = ["CLICKHOUSE_CLOUD_API_KEY": "env-id", "CLICKHOUSE_CLOUD_API_SECRET": "env-secret"]
    let dotEnv = [
      "CLICKHOUSE_CLOUD_API_KEY": "file-id", "CLICKHOUSE_CLOUD_API_SECRET": "file-secret",
      "CLICKHOUSE_CLOUD_ORG_ID": "org-from-file",
    ]
    let fromFlags = try ConnectionResolver(
      options: ConnectionOptions(keyID: "flag-id", keySecret: "flag-secret"), environment: environment, dotEnv: dotEnv,
      profiles: empty
    ).resolve()
    #expect(fromFlags.credentials == APICredentials(keyID: "flag-id", keySecret: "flag-secret"))
    #expect(fromFlags.organizationID == "org-from-file")
    let fromEnvironment = try ConnectionResolver(
      options: ConnectionOptions(), environment: environment, dotEnv: dotEnv, profiles: empty
    ).resolve()
    #expect(fromEnvironment.credentials.keyID == "env-id")
    #expect(fromEnvironment.credentialSource == "the environment")
    let fromFile = try ConnectionResolver(options: ConnectionOptions(), environment: [:], dotEnv: dotEnv, profiles: empty)
      .resolve()
    #expect(fromFile.credentials.keyID == "file-id")
    #expect(fromFile.endpoint.description == "https://api.clickhouse.cloud")
  }

  @Test func missingKeyIsExitFourWithEveryWay() {
    #expect {
      try ConnectionResolver(
        options: ConnectionOptions(), environment: ["CLICKHOUSE_CLOUD_API_KEY": ""], dotEnv: [:], profiles: empty
      ).resolve()
    } throws: { error in
      guard let failure = error as? SetupFailure else { return false }
      return failure.exitCode == 4 && failure.message.contains("--key-id") && failure.message.contains(".env")
        && failure.message.contains("--local")
    }
  }

  @Test func halfAKeyOnTheCommandLineIsAnError() {
    #expect(throws: SetupFailure.self) {
      try ConnectionResolver(options: ConnectionOptions(keyID: "only-id"), environment: [:], dotEnv: [:], profiles: empty)
        .resolve()
    }
  }

  @Test func profilesRoundTripAndAreTheLastResort() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mpg-profiles-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let store = ProfileStore(path: directory.appendingPathComponent("mpg/config.toml").path)
    try store.save(Profile(name: "work", keyID: "w-id", keySecret: "w-secret", organizationID: "w-org"), makeDefault: false)
    try store.save(
      Profile(name: "lab", keyID: "l-id", keySecret: "l-secret", endpoint: "http://127.0.0.1:9999"), makeDefault: false)
    #expect(store.defaultProfileName == "work")
    let attributes = try FileManager.default.attributesOfItem(atPath: store.path)
    #expect((attributes[.posixPermissions] as? Int) == 0o600)
    let viaDefault = try ConnectionResolver(options: ConnectionOptions(), environment: [:], dotEnv: [:], profiles: store)
      .resolve()
    #expect(viaDefault.credentials.keyID == "w-id")
    #expect(viaDefault.organizationID == "w-org")
    let named = try ConnectionResolver(options: ConnectionOptions(profile: "lab"), environment: [:], dotEnv: [:], profiles: store)
      .resolve()
    #expect(named.endpoint.description == "http://127.0.0.1:9999")
    #expect(try store.remove(named: "work"))
    #expect(store.defaultProfileName == "lab")
    #expect(throws: SetupFailure.self) {
      try ConnectionResolver(options: ConnectionOptions(profile: "gone"), environment: [:], dotEnv: [:], profiles: store)
        .resolve()
    }
  }

  @Test func dotEnvSyntax() {
    let parsed = DotEnvFile.parse(
      """
      # comment
      export A=1
      B = "two words"
      C='single # not a comment'
      D=plain # trailing comment
      =nameless
      """)
    #expect(parsed == ["A": "1", "B": "two words", "C": "single # not a comment", "D": "plain"])
  }

  @Test(arguments: [
    ("https://api.clickhouse.cloud", "https://api.clickhouse.cloud"),
    ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
    ("HTTPS://example.com:443", "https://example.com:443"),
  ])
  func endpointURLs(text: String, normalised: String) {
    #expect(EndpointURL(text)?.description == normalised)
  }

  @Test(arguments: ["api.clickhouse.cloud", "ftp://x", "https://", "https://host/v1", "http://host:0", "http://user@host"])
  func badEndpointURLs(text: String) {
    #expect(EndpointURL(text) == nil)
  }
}
