/// The WAL segment file that holds a cluster's latest checkpoint, worked out from `pg_controldata` output
/// the way PostgreSQL names segments: timeline, then the segment number split at 4 GiB, each 8 hex digits.
struct WALSegment: Equatable {
  /// The segment's file name in `pg_wal`, such as `000000010000000000000004`.
  let fileName: String

  /// Reads `Latest checkpoint location`, `Latest checkpoint's TimeLineID` and `Bytes per WAL segment`.
  init?(controlData: String) {
    var fields: [String: String] = [:]
    for line in controlData.split(separator: "\n") {
      guard let colon = line.firstIndex(of: ":") else { continue }
      fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingSpaces()
    }
    guard let location = fields["Latest checkpoint location"],
      let timeline = fields["Latest checkpoint's TimeLineID"].flatMap({ UInt32($0) }),
      let segmentSize = fields["Bytes per WAL segment"].flatMap({ UInt64($0) }), segmentSize > 0,
      let position = WALSegment.position(of: location)
    else { return nil }
    self.init(timeline: timeline, position: position, segmentSize: segmentSize)
  }

  /// The segment holding `position` on `timeline` with segments of `segmentSize` bytes.
  init(timeline: UInt32, position: UInt64, segmentSize: UInt64) {
    let number = position / segmentSize
    let segmentsPerID = 0x1_0000_0000 / segmentSize
    fileName = [UInt64(timeline), number / segmentsPerID, number % segmentsPerID].map { value in
      let digits = String(value, radix: 16, uppercase: true)
      return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }.joined()
  }

  /// An LSN such as `0/4000028` as a byte position.
  static func position(of location: String) -> UInt64? {
    let halves = location.split(separator: "/")
    guard halves.count == 2, let high = UInt64(halves[0], radix: 16), let low = UInt64(halves[1], radix: 16) else { return nil }
    return high << 32 | low
  }
}
