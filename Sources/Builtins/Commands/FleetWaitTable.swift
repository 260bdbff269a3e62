import Interpreter

/// The live progress of a fleet wait on a terminal: a heading and one row per service (name, state,
/// for how long), redrawn in place on standard error.
final class FleetWaitTable {
  /// Rows shown at most; the rest are summed up on one line (the ones not there yet come first).
  static let maximumRows = 15
  /// Lines drawn last time, to move back over.
  private var linesDrawn = 0

  func draw(_ members: [FleetWait.Member], elapsed: Double, goal: WaitCommand.Goal, _ context: CommandContext) {
    let done = members.filter(\.done).count
    var lines = ["[\(WaitCommand.clock(elapsed))] \(done) of \(members.count) \(Self.describe(goal))"]
    let ordered = members.filter { !$0.done } + members.filter(\.done)
    let shown = ordered.prefix(Self.maximumRows)
    let nameWidth = max(4, shown.map(\.name.count).max() ?? 0)
    let stateWidth = max(5, shown.map { ($0.state ?? "").count }.max() ?? 0)
    lines.append("  " + Self.padded("NAME", nameWidth) + "  " + Self.padded("STATE", stateWidth) + "  SINCE")
    for member in shown {
      let mark = member.done ? "✓" : " "
      lines.append(
        "\(mark) " + Self.padded(member.name, nameWidth) + "  " + Self.padded(member.state ?? "…", stateWidth) + "  "
          + WaitCommand.clock(elapsed - member.since))
    }
    if ordered.count > shown.count {
      lines.append("  … and \(ordered.count - shown.count) more")
    }
    var text = linesDrawn > 1 ? "\u{1B}[\(linesDrawn - 1)A" : ""
    text += lines.map { "\r\u{1B}[K" + $0 }.joined(separator: "\n")
    // Fewer lines than last time (never, as rows only change places): clear what is left below.
    if lines.count < linesDrawn { text += "\u{1B}[J" }
    linesDrawn = lines.count
    context.output.writeError(text)
  }

  /// Leaves the last drawing in place and moves below it.
  func finish(_ context: CommandContext) {
    if linesDrawn > 0 { context.output.writeError("\n") }
  }

  private static func describe(_ goal: WaitCommand.Goal) -> String {
    switch goal {
    case .running: "running"
    case .gone: "gone"
    case .condition(let filter): "where \(filter.text) holds"
    }
  }

  private static func padded(_ text: String, _ width: Int) -> String {
    text + String(repeating: " ", count: max(0, width - text.count))
  }
}
