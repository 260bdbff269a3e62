import Interpreter

#if canImport(Glibc)
  import Glibc
#endif

/// `--since 1h` or `--from T --to T` as the API's `from_date`/`to_date` (RFC 3339, UTC).
enum TimeWindow {
  /// The query pairs for the window the call asks for; `defaultSince` applies when it names none.
  static func query(_ call: CommandCall, defaultSince: Double) throws -> [(String, String)] {
    let now = Double(time(nil))
    if let since = call.options["since"] {
      guard call.options["from"] == nil, call.options["to"] == nil else {
        throw call.usageError("use either --since or --from/--to", at: since.span)
      }
      guard let seconds = DurationText.seconds(since.value), seconds > 0 else {
        throw call.usageError("--since takes a duration such as 15m, 1h or 7d", at: since.span)
      }
      return [("from_date", rfc3339(now - seconds)), ("to_date", rfc3339(now))]
    }
    if call.options["from"] != nil || call.options["to"] != nil {
      guard let from = call.options["from"]?.text, let to = call.options["to"]?.text else {
        throw call.usageError("--from and --to go together", at: (call.options["from"] ?? call.options["to"])?.span)
      }
      return [("from_date", from), ("to_date", to)]
    }
    return [("from_date", rfc3339(now - defaultSince)), ("to_date", rfc3339(now))]
  }

  /// Seconds since 1970 as `2026-11-30T12:00:00Z`.
  static func rfc3339(_ seconds: Double) -> String {
    var whole = time_t(seconds)
    var parts = tm()
    gmtime_r(&whole, &parts)
    func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
    return
      "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
  }

  static let options = [
    CommandOption("since", takesValue: true, summary: "The window ends now and starts this long ago (e.g. 1h, 7d)."),
    CommandOption("from", takesValue: true, summary: "Start of the window (RFC 3339), with --to."),
    CommandOption("to", takesValue: true, summary: "End of the window (RFC 3339), with --from."),
  ]
}
