import Crypto
import FileIO
import FoundationEssentials
import PostgresCluster
import SwiftASN1
import X509

/// The emulator's own certificate authority: it signs each service's server certificate, and
/// `caCertificates` returns its certificate so `sslmode=verify-full` works against local clusters.
/// The key and certificate persist in the data directory (the key 0600).
struct CertificateAuthority: @unchecked Sendable {
  /// The CA certificate, PEM.
  let certificatePEM: String
  private let certificate: Certificate
  private let key: P256.Signing.PrivateKey

  /// Loads the CA from `directory`, or creates one there.
  init(directory: String) throws {
    let keyPath = directory + "/ca.key"
    let certificatePath = directory + "/ca.crt"
    if let keyText = try? FileText.read(keyPath), let certificateText = try? FileText.read(certificatePath) {
      key = try P256.Signing.PrivateKey(pemRepresentation: keyText)
      certificate = try Certificate(pemEncoded: certificateText)
      certificatePEM = certificateText
      return
    }
    key = P256.Signing.PrivateKey()
    let name = try DistinguishedName {
      OrganizationName("mpg")
      CommonName("mpg local emulator CA")
    }
    let now = Date()
    certificate = try Certificate(
      version: .v3,
      serialNumber: Certificate.SerialNumber(),
      publicKey: .init(key.publicKey),
      notValidBefore: now.addingTimeInterval(-3600),
      notValidAfter: now.addingTimeInterval(10 * 365 * 86400),
      issuer: name,
      subject: name,
      signatureAlgorithm: .ecdsaWithSHA256,
      extensions: try Certificate.Extensions {
        Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
        Critical(KeyUsage(keyCertSign: true, cRLSign: true))
      },
      issuerPrivateKey: .init(key)
    )
    certificatePEM = try certificate.serializeAsPEM().pemString + "\n"
    try FileText.writeAtomically(key.pemRepresentation + "\n", to: keyPath, mode: 0o600, exactMode: true)
    try FileText.writeAtomically(certificatePEM, to: certificatePath, mode: 0o644)
  }

  /// A server certificate and key (both PEM) for a cluster listening at `address` (an IPv4 literal).
  ///
  /// It also covers `ListenEndpoint.fallbackHost`: the certificate is made before the cluster binds,
  /// and a cluster that cannot bind `address` listens there instead, where `verify-full` must still pass.
  func issueServerCertificate(address: String, hostnames: [String]) throws -> (certificate: String, key: String) {
    let serverKey = P256.Signing.PrivateKey()
    var names: [GeneralName] = hostnames.map { .dnsName($0) }
    for ip in Set([address, ListenEndpoint.fallbackHost]).sorted() {
      let octets = ip.split(separator: ".").compactMap { UInt8($0) }
      if octets.count == 4 { names.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(octets)))) }
    }
    let now = Date()
    let serverCertificate = try Certificate(
      version: .v3,
      serialNumber: Certificate.SerialNumber(),
      publicKey: .init(serverKey.publicKey),
      notValidBefore: now.addingTimeInterval(-3600),
      notValidAfter: now.addingTimeInterval(825 * 86400),
      issuer: certificate.subject,
      subject: try DistinguishedName { CommonName(hostnames.first ?? address) },
      signatureAlgorithm: .ecdsaWithSHA256,
      extensions: try Certificate.Extensions {
        Critical(BasicConstraints.notCertificateAuthority)
        Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
        try ExtendedKeyUsage([.serverAuth])
        SubjectAlternativeNames(names)
      },
      issuerPrivateKey: .init(key)
    )
    return (try serverCertificate.serializeAsPEM().pemString + "\n", serverKey.pemRepresentation + "\n")
  }
}
