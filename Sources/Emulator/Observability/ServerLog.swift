import FileIO
import JQ
import PostgresAPISpec

#if canImport(Glibc)
  import Glibc
#endif

/// One entry of a cluster's server log, read from PostgreSQL's `jsonlog` output.
struct ServerLogEntry: Sendable {
  /// Seconds since the epoch (millisecond precision).
  var time: Double
  /// The entry's time in RFC 3339, UTC, with milliseconds.
  var timestamp: String
  /// `error_severity`: LOG, ERROR, WARNING, FATAL, …
  var severity: String
  /// The message, then DETAIL, HINT, CONTEXT and STATEMENT lines as PostgreSQL's plain-text log shows them.
  var body: String
  /// `message` alone.
  var message: String
  /// The query id (`compute_query_id`) of the statement the entry belongs to, as text; nil when none.
  var queryID: String?
  /// The backend's process id, user, database and `application_name`.
  var processID: Int
  var user: String?
  var database: String?
  var application: String?
  /// `state_code`, the SQLSTATE.
  var sqlState: String?
  /// The statement that raised an error (`statement`).
  var statement: String?

  /// The API's `PostgresLogEntry`.
  var json: JSONValue {
    JSONValue(object: [("timestamp", JSONValue(timestamp)), ("severity", JSONValue(severity)), ("body", JSONValue(body))])
  }
}

/// Reads a cluster's `jsonlog` files.
enum ServerLog {
  /// The entries of `files` (oldest first, as the collector names them) logged within `from…to` (both
  /// inclusive), oldest first. Files that ended before `from` are not read; a line the server is still
  /// writing, or any line that is not a JSON object, is skipped.
  static func entries(in files: [String], from: Double, to: Double) -> [ServerLogEntry] {
    var entries: [ServerLogEntry] = []
    for (index, file) in files.enumerated() {
      // A file holds what was logged from its start until the next file's start.
      if index + 1 < files.count, let nextStart = startTime(ofFile: files[index + 1]), nextStart < from { continue }
      if let start = startTime(ofFile: file), start > to { break }
      guard let text = try? FileText.read(file) else { continue }
      for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
        guard let time = time(ofLine: line), time >= from, time <= to, let entry = entry(line, time: time) else { continue }
        entries.append(entry)
      }
    }
    return entries
  }

  /// The start of a file named `postgresql-YYYYMMDD-HHMMSS.json`, seconds since the epoch.
  static func startTime(ofFile path: String) -> Double? {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    let digits = Array(name.utf8.filter { (0x30...0x39).contains($0) })
    guard name.hasPrefix("postgresql-"), digits.count == 14 else { return nil }
    let text = String(decoding: digits, as: UTF8.self)
    func part(_ offset: Int, _ length: Int) -> String {
      String(text.dropFirst(offset).prefix(length))
    }
    return QueryParameters.seconds("\(part(0, 4))-\(part(4, 2))-\(part(6, 2))T\(part(8, 2)):\(part(10, 2)):\(part(12, 2))Z")
  }

  /// The time of a line without parsing all of it: jsonlog writes `{"timestamp":"2026-11-30 06:30:00.123 UTC",`
  /// first (the clusters log in UTC).
  static func time(ofLine line: Substring) -> Double? {
    let prefix = #"{"timestamp":""#
    guard line.hasPrefix(prefix) else { return nil }
    let value = line.dropFirst(prefix.count).prefix(23)
    guard value.count == 23 else { return nil }
    return QueryParameters.seconds(String(value.replacing(" ", with: "T", maxReplacements: 1)) + "Z")
  }

  private static func entry(_ line: Substring, time: Double) -> ServerLogEntry? {
    guard let object = try? JSONValue(parsing: String(line)), object.kind == .object else { return nil }
    func text(_ key: String) -> String? { object[key]?.stringValue }
    let message = text("message") ?? ""
    var body = message
    for (key, label) in [("detail", "DETAIL"), ("hint", "HINT"), ("context", "CONTEXT"), ("statement", "STATEMENT")] {
      if let value = text(key) { body += "\n\(label):  \(value)" }
    }
    return ServerLogEntry(
      time: time, timestamp: Timestamp.formatMilliseconds(time), severity: text("error_severity") ?? "LOG", body: body,
      message: message, queryID: queryID(in: line), processID: Int(object["pid"]?.numberValue ?? 0), user: text("user"),
      database: text("dbname"), application: text("application_name"), sqlState: text("state_code"), statement: text("statement"))
  }

  /// `query_id` read from the text: it is a 64-bit integer, more than a double (jq's number) holds exactly.
  static func queryID(in line: Substring) -> String? {
    guard let range = line.firstRange(of: #""query_id":"#) else { return nil }
    let digits = line[range.upperBound...].prefix { $0 == "-" || $0.isNumber }
    return digits.isEmpty || digits == "0" ? nil : String(digits)
  }
}

extension Timestamp {
  /// `2026-11-30T06:30:00.123Z` for seconds since the epoch.
  static func formatMilliseconds(_ seconds: Double) -> String {
    let whole = seconds.rounded(.down)
    let milliseconds = min(999, Int(((seconds - whole) * 1000).rounded()))
    let text = format(time_t(whole))
    return String(text.dropLast()) + "." + String(milliseconds).leftPadded(to: 3) + "Z"
  }
}
