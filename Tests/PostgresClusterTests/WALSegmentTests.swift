import Testing

@testable import PostgresCluster

/// Naming the segment that holds a checkpoint the way PostgreSQL names its `pg_wal` files.
@Suite struct WALSegmentTests {
  @Test func namesTheSegmentOfTheLatestCheckpoint() {
    let control = """
      pg_control version number:            1800
      Latest checkpoint location:           0/4000028
      Latest checkpoint's REDO location:    0/4000028
      Latest checkpoint's TimeLineID:       1
      Bytes per WAL segment:                16777216
      """
    #expect(WALSegment(controlData: control)?.fileName == "000000010000000000000004")
  }

  @Test func splitsTheSegmentNumberAtFourGibibytes() {
    // 0x1/0x2A000000 with 16 MiB segments: segment 0x12A, that is "log" 1 and segment 0x2A of it.
    let segment = WALSegment(timeline: 0x1F, position: 0x1_2A00_0000, segmentSize: 16 << 20)
    #expect(segment.fileName == "0000001F000000010000002A")
    #expect(WALSegment(timeline: 2, position: 0x3FF_FFFF, segmentSize: 64 << 20).fileName == "000000020000000000000000")
  }

  @Test func rejectsOutputWithoutTheFields() {
    #expect(WALSegment(controlData: "Latest checkpoint location: 0/1") == nil)
    #expect(WALSegment.position(of: "nonsense") == nil)
    #expect(WALSegment.position(of: "A/10") == 0xA_0000_0010)
  }
}
