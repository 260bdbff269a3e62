/// Source text with position markers (1️⃣, 2️⃣, …) in the style of swift-format's tests: the markers
/// are removed and their byte offsets kept, so tests name positions instead of counting columns.
struct MarkedSource {
  /// The text without markers.
  let text: String
  /// Byte offset of each marker in `text`, by marker.
  let offsets: [String: Int]

  private static let markers = ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣"]

  init(_ marked: String) {
    var text = ""
    var offsets: [String: Int] = [:]
    var rest = Substring(marked)
    while !rest.isEmpty {
      if let marker = MarkedSource.markers.first(where: { rest.hasPrefix($0) }) {
        offsets[marker] = text.utf8.count
        rest = rest.dropFirst(marker.count)
      } else {
        text.append(rest.removeFirst())
      }
    }
    self.text = text
    self.offsets = offsets
  }
}
