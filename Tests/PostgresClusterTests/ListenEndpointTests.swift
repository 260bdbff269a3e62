import Glibc
import Testing

@testable import PostgresCluster

@Suite("Listen endpoint")
struct ListenEndpointTests {
  @Test func aFreeLoopbackAddressKeepsPort5432() throws {
    let address = TestFixture.nextAddress()
    let endpoint = try ListenEndpoint.choose(preferredHost: address)
    #expect(endpoint == ListenEndpoint(host: address, port: 5432))
    #expect(!endpoint.isFallback)
  }

  @Test func aTakenAddressFallsBackToAFreePortOn127001() throws {
    let address = TestFixture.nextAddress()
    let listener = try #require(Listener(host: address, port: 5432))
    defer { listener.close() }
    let endpoint = try ListenEndpoint.choose(preferredHost: address)
    #expect(endpoint.host == "127.0.0.1")
    #expect(endpoint.port != 5432 && endpoint.port > 0)
    #expect(endpoint.fallbackReason?.contains("\(address):5432 cannot be bound") == true)
  }

  @Test func anAddressOutsideLoopbackFallsBack() throws {
    // 192.0.2.0/24 is reserved for documentation and never configured here: nothing is sent anywhere.
    let endpoint = try ListenEndpoint.choose(preferredHost: "192.0.2.1")
    #expect(endpoint.isFallback)
  }
}

/// A listening TCP socket that occupies an address during a test.
private struct Listener {
  let descriptor: Int32

  init?(host: String, port: Int) {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    inet_pton(AF_INET, host, &address.sin_addr)
    descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0, listen(descriptor, 1) == 0 else {
      Glibc.close(descriptor)
      return nil
    }
  }

  func close() { Glibc.close(descriptor) }
}
