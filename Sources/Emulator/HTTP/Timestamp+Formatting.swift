#if canImport(Glibc)
  import Glibc
#endif

/// Writing timestamps with fractions (`RFC3339` in PostgresAPISpec reads them back).
extension Timestamp {
  /// A UTC timestamp with microseconds that PostgreSQL and `RFC3339.seconds(_:allowingSpace:)` both read:
  /// `2026-11-30 06:21:05.250000+00:00`.
  static func postgresUTC(_ seconds: Double) -> String {
    let whole = seconds.rounded(.down)
    let micros = Int(((seconds - whole) * 1_000_000).rounded())
    let base = String(format(time_t(whole)).map { $0 == "T" ? " " : $0 }).dropLast()
    return "\(base).\(String(min(micros, 999_999)).leftPadded(to: 6))+00:00"
  }

  /// A compact UTC stamp with milliseconds for names that sort by time: `20261130T062105.250Z`.
  static func compact(_ seconds: Double) -> String {
    let whole = seconds.rounded(.down)
    let millis = min(Int(((seconds - whole) * 1000).rounded(.down)), 999)
    let base = format(time_t(whole)).filter { $0 != "-" && $0 != ":" }.dropLast()
    return "\(base).\(String(millis).leftPadded(to: 3))Z"
  }
}
