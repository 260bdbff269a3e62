#if canImport(Glibc)
  import Glibc
#endif

/// UTC timestamps in the API's ISO 8601 form (`2026-11-30T03:20:00Z`).
enum Timestamp {
  /// The current time.
  static func now() -> String {
    format(time(nil))
  }

  /// Seconds since the epoch, as a double (for rate limiting and metrics).
  static func seconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
  }

  static func format(_ seconds: time_t) -> String {
    var moment = seconds
    var parts = tm()
    gmtime_r(&moment, &parts)
    var buffer = [CChar](repeating: 0, count: 32)
    let length = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%SZ", &parts)
    return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
