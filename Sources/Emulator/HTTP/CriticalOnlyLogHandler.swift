import Logging

#if canImport(Glibc)
  import Glibc
#endif

/// The HTTP server's log handler: critical messages go to standard error, everything else is
/// dropped. Hummingbird reports routine events (a cancelled connection wait at shutdown) as errors,
/// and it sets a request id in the metadata of every request, which `StreamLogHandler` re-renders as
/// text on each set (about 3% of a GET); this handler only stores it.
struct CriticalOnlyLogHandler: LogHandler {
  var metadata: Logger.Metadata = [:]
  var logLevel: Logger.Level = .critical
  let label: String

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) {
    guard event.level >= .critical else { return }
    let line = Array("\(label): \(event.level): \(event.message)\n".utf8)
    _ = line.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
  }
}
