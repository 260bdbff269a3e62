/// The TLS certificate and private key a cluster serves, as PEM text made by the caller (the emulator
/// signs one per service with its CA, naming the service's address).
///
/// Written into the data directory as `server.crt` and `server.key`, mode 0600, owned by the cluster user.
public struct ServerCertificate: Sendable, Hashable {
  /// The server certificate, optionally followed by intermediate certificates, in PEM.
  public let certificateChainPEM: String
  /// The private key in PEM (unencrypted: PostgreSQL cannot prompt for a passphrase).
  public let privateKeyPEM: String

  /// A certificate from PEM text; nothing is parsed, PostgreSQL checks it when the cluster starts.
  public init(certificateChainPEM: String, privateKeyPEM: String) {
    self.certificateChainPEM = certificateChainPEM
    self.privateKeyPEM = privateKeyPEM
  }

  static let certificateFile = "server.crt"
  static let privateKeyFile = "server.key"

  func write(toDataDirectory directory: String, owner: ClusterUser) throws(ClusterError) {
    guard certificateChainPEM.contains("-----BEGIN"), privateKeyPEM.contains("-----BEGIN") else {
      throw .invalidValue("the TLS certificate and key must be PEM text")
    }
    try ClusterFiles.writeFile("\(directory)/\(Self.certificateFile)", certificateChainPEM, mode: 0o600, owner: owner)
    try ClusterFiles.writeFile("\(directory)/\(Self.privateKeyFile)", privateKeyPEM, mode: 0o600, owner: owner)
  }
}
