import Foundation
import PostgresCluster
import Testing
import X509

@testable import Emulator

/// The emulator's CA signs server certificates that `verify-full` accepts wherever the cluster ends up
/// listening.
struct CertificateAuthorityTests {
  @Test func aServerCertificateCoversItsAddressTheFallbackHostAndLocalhost() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mpg-ca-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let authority = try CertificateAuthority(directory: directory)
    let issued = try authority.issueServerCertificate(address: "127.77.5.6", hostnames: ["localhost"])
    let certificate = try Certificate(pemEncoded: issued.certificate)
    let names = try #require(try certificate.extensions.subjectAlternativeNames)
    let addresses = names.compactMap { name -> String? in
      guard case .ipAddress(let octets) = name else { return nil }
      return octets.bytes.map(String.init).joined(separator: ".")
    }
    #expect(Set(addresses) == ["127.77.5.6", ListenEndpoint.fallbackHost])
    #expect(names.contains(.dnsName("localhost")))
    #expect(certificate.issuer == (try Certificate(pemEncoded: authority.certificatePEM)).subject)
  }
}
