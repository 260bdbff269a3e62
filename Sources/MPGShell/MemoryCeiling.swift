import Interpreter
import JQ
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A ceiling on mpg's memory, and a clear report when a statement reaches it.
///
/// A runaway jq program (`def f: [f]; f`) or `load /dev/zero` allocates until an allocation fails, and
/// then libjq and the Swift runtime can only call `abort()`: neither lets a caller recover from a failed
/// allocation. So mpg sets `RLIMIT_DATA` (the ceiling comes early and at a known size, not when the whole
/// machine is short), and a SIGABRT handler that finds an allocation failure writes
/// `FILE:LINE:COL: error: out of memory …` with the statement's line and a caret, and exits 1. Any other
/// abort keeps its default action (a crash report is what a bug needs).
enum MemoryCeiling {
  /// The environment variable that sets the ceiling: a size (`512M`, `8G`) or `off`.
  static let variable = "MPG_MEMORY_LIMIT"

  /// The default: half the machine's memory, at most 4 GiB.
  static var defaultBytes: Int {
    let physical = Int(sysconf(Int32(_SC_PHYS_PAGES))) * Int(sysconf(Int32(_SC_PAGESIZE)))
    return min(physical / 2, 4 << 30)
  }

  /// The ceiling `text` asks for: nil for `off`; throws a message for anything unreadable.
  static func parse(_ text: String) throws(CeilingError) -> Int? {
    let trimmed = text.filter { !$0.isWhitespace }.lowercased()
    if trimmed == "off" { return nil }
    let units: [Character: Int] = ["k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40]
    var digits = Substring(trimmed)
    var multiplier = 1
    if let last = digits.last, let unit = units[last] {
      multiplier = unit
      digits = digits.dropLast()
    }
    guard let count = Int(digits), count > 0, count.multipliedReportingOverflow(by: multiplier).overflow == false,
      count * multiplier >= 64 << 20
    else {
      throw CeilingError("\(variable) takes `off` or a size of at least 64M such as 512M or 8G, not `\(text)`")
    }
    return count * multiplier
  }

  /// A value of `MPG_MEMORY_LIMIT` that cannot be read.
  struct CeilingError: Error {
    let message: String
    init(_ message: String) { self.message = message }
  }

  /// Sets the ceiling (from the environment or the default) and installs the report.
  static func install() throws(CeilingError) {
    let requested = getenv(variable).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
    let ceiling = try requested.map { text throws(CeilingError) in try parse(text) } ?? defaultBytes
    guard let ceiling else { return }
    var limit = rlimit()
    getrlimit(Int32(RLIMIT_DATA.rawValue), &limit)
    // Never above a hard limit someone else set (RLIM_INFINITY is the largest value).
    let value = min(rlim_t(ceiling), limit.rlim_max)
    limit.rlim_cur = value
    guard setrlimit(Int32(RLIMIT_DATA.rawValue), &limit) == 0 else { return }
    ceilingBytes.store(Int(value), ordering: .relaxed)
    let size = Double(value) / Double(1 << 30)
    let text = size >= 1 ? "\((size * 10).rounded() / 10) GB" : "\(Int(value) >> 20) MB"
    message = strdup(
      "error: out of memory: this statement reached mpg's ceiling of \(text) (set \(variable) to a larger size, or to off)\n")
    var action = sigaction()
    action.__sigaction_handler.sa_handler = reportAbort
    sigemptyset(&action.sa_mask)
    sigaction(SIGABRT, &action, nil)
    // libjq 1.6 does not check every allocation: near the ceiling, a failed one can end in SIGSEGV.
    sigaction(SIGSEGV, &action, nil)
  }

  fileprivate static let ceilingBytes = Atomic<Int>(0)
  nonisolated(unsafe) fileprivate static var message: UnsafeMutablePointer<CChar>?
}

/// The SIGABRT and SIGSEGV handler: only async-signal-safe work (write, getrusage, _exit). A signal that
/// does not come from memory running out gets its default action again (and the crash report).
private func reportAbort(_ signal: Int32) {
  let failure = errno
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  let used = Int(usage.ru_maxrss) * 1024
  let ceiling = MemoryCeiling.ceilingBytes.load(ordering: .relaxed)
  let nearCeiling = used >= ceiling / 5 * 2
  guard let message = MemoryCeiling.message, nearCeiling || (signal == SIGABRT && failure == ENOMEM) else {
    Glibc.signal(signal, SIG_DFL)
    raise(signal)
    return
  }
  // What earlier statements printed is still in stdio's buffer. Unlocked: the thread that ran out may
  // hold the lock, and the process ends right after.
  TextStream.standardOutput.flushBeforeDying()
  var located = false
  StatementTracker.withCurrentLocation { name, line, column, text in
    located = true
    writeError(name)
    writeError(":")
    writeNumber(line)
    writeError(":")
    writeNumber(column)
    writeError(": ")
    writeError(message)
    writeError("  ")
    _ = write(2, text.baseAddress, text.count)
    writeError("\n  ")
    for _ in 1..<max(column, 1) { writeError(" ") }
    writeError("^\n")
  }
  if !located {
    writeError("mpg: ")
    writeError(message)
  }
  _exit(1)
}

private func writeError(_ text: UnsafePointer<CChar>) {
  _ = write(2, text, strlen(text))
}

private func writeNumber(_ number: Int) {
  var digits:
    (
      UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
      UInt8, UInt8, UInt8
    ) =
      (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
  withUnsafeMutableBytes(of: &digits) { buffer in
    var value = max(number, 0)
    var index = buffer.count
    repeat {
      index -= 1
      buffer[index] = UInt8(48 + value % 10)
      value /= 10
    } while value > 0 && index > 0
    _ = write(2, buffer.baseAddress! + index, buffer.count - index)
  }
}
