import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A one-connection HTTP peer on 127.0.0.1 for the client's own tests: it reads one request and
/// answers with the bytes it was given, or never answers (to test time-outs and cancellation).
/// Plain sockets on a thread of its own, so it shares nothing with the client under test.
final class ScriptedHTTPPeer: @unchecked Sendable {
  /// The port it listens on.
  let port: Int
  private let listener: Int32
  private let answer: [UInt8]?
  private let lock = NSLock()
  private var received: [UInt8] = []
  private var connection: Int32 = -1
  private let finished = DispatchSemaphore(value: 0)

  /// Listens at once; `answer` is the raw response, `nil` to hold the connection without answering.
  init(answer: String?) throws {
    self.answer = answer.map { Array($0.utf8) }
    let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) }
    }
    guard bound == 0, listen(listener, 1) == 0 else {
      Glibc.close(listener)
      throw POSIXError(.EADDRINUSE)
    }
    _ = withUnsafeMutablePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
    }
    self.listener = listener
    port = Int(UInt16(bigEndian: address.sin_port))
    Thread.detachNewThread { [self] in serve() }
  }

  /// What the client sent, once the request's head has arrived.
  var request: String {
    lock.withLock { String(decoding: received, as: UTF8.self) }
  }

  /// Closes the connection and the listener and waits for the serving thread.
  func close() {
    shutdown(listener, Int32(SHUT_RDWR))
    lock.withLock {
      if connection >= 0 { shutdown(connection, Int32(SHUT_RDWR)) }
    }
    finished.wait()
    Glibc.close(listener)
  }

  private func serve() {
    defer { finished.signal() }
    let client = accept(listener, nil, nil)
    guard client >= 0 else { return }
    lock.withLock { connection = client }
    defer { Glibc.close(client) }
    var buffer = [UInt8](repeating: 0, count: 4096)
    while !lock.withLock({ received.contains(subsequence: Array("\r\n\r\n".utf8)) }) {
      let count = read(client, &buffer, buffer.count)
      guard count > 0 else { return }
      lock.withLock { received += buffer[0..<count] }
    }
    if let answer {
      _ = answer.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
    }
    // Hold the connection until the client closes it or the test ends.
    while read(client, &buffer, buffer.count) > 0 {}
  }
}

extension Array where Element == UInt8 {
  fileprivate func contains(subsequence: [UInt8]) -> Bool {
    guard count >= subsequence.count else { return false }
    return (0...(count - subsequence.count)).contains { self[$0..<$0 + subsequence.count].elementsEqual(subsequence) }
  }
}
