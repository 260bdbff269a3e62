import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A file that exists only in memory while mpg holds it open (`memfd_create`): a child such as psql
/// opens it by path through `/proc/MPG_PID/fd/N`, and it disappears with mpg however mpg ends — a
/// password handed over this way never touches a disk and cannot outlive its owner. The emulator's
/// children read their standard input from one (`handOver()`).
public final class MemoryFile: Sendable {
  /// Why a memory file could not be made.
  public struct Failure: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
  }

  private let descriptor: Int32
  private let isClosed = Atomic<Bool>(false)
  /// The path a child process opens it by.
  public let path: String

  /// A 0600 memory file named `name` (shown only in /proc) holding `text`.
  public init(name: String, text: String) throws(Failure) {
    guard let create = Self.memfdCreate else { throw Failure(reason: "this C library has no memfd_create") }
    let descriptor = create(name, Self.closeOnExec)
    guard descriptor >= 0 else { throw Failure(reason: "memfd_create: \(String(cString: strerror(errno)))") }
    // libpq ignores a passfile that group or others could read.
    guard fchmod(descriptor, 0o600) == 0 else {
      let reason = String(cString: strerror(errno))
      Glibc.close(descriptor)
      throw Failure(reason: "fchmod: \(reason)")
    }
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
      if written < 0 {
        if errno == EINTR { continue }
        let reason = String(cString: strerror(errno))
        Glibc.close(descriptor)
        throw Failure(reason: "write: \(reason)")
      }
      offset += written
    }
    self.descriptor = descriptor
    path = "/proc/\(getpid())/fd/\(descriptor)"
  }

  /// glibc's `memfd_create`, looked up at run time: Swift's Glibc module does not import it (it sits
  /// behind _GNU_SOURCE), and a C target of our own for one declaration is more than this needs.
  private static let memfdCreate: (@convention(c) (UnsafePointer<CChar>, UInt32) -> Int32)? = {
    // RTLD_DEFAULT is the null handle in glibc.
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "memfd_create") else { return nil }
    return unsafeBitCast(symbol, to: (@convention(c) (UnsafePointer<CChar>, UInt32) -> Int32).self)
  }()

  /// `MFD_CLOEXEC` (linux/memfd.h): the descriptor is not passed to children by exec; psql opens the
  /// file afresh by path instead.
  private static let closeOnExec: UInt32 = 1

  /// Gives the descriptor, rewound to the start, to a caller that closes it: a child's standard input,
  /// which then reads the text without a pipe to write into (nor a writer that can fail midway). Nil
  /// when it was closed already.
  public func handOver() -> Int32? {
    guard !isClosed.exchange(true, ordering: .acquiringAndReleasing) else { return nil }
    lseek(descriptor, 0, SEEK_SET)
    return descriptor
  }

  /// Closes it (and so frees it); later calls do nothing.
  public func close() {
    if !isClosed.exchange(true, ordering: .acquiringAndReleasing) { Glibc.close(descriptor) }
  }

  deinit {
    close()
  }
}
