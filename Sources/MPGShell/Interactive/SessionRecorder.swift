import Builtins
import FileIO
import Interpreter
import JQ
import Outcomes

#if canImport(Glibc)
  import Glibc
#endif

/// `record FILE`: every entry that succeeds from now on is written to a runbook, which must run back
/// with `mpg --local FILE`. Entries that carry a secret are left out (with a note in the file), and
/// literal service ids are replaced by the variables that held them where possible.
final class SessionRecorder {
  private(set) var path: String?
  private var lines: [String] = []
  /// `record --markdown`: a transcript for course notes (each entry with its output) instead of a runbook.
  private(set) var markdown = false

  var isRecording: Bool { path != nil }

  /// Starts a new recording into `path` (written at every entry, so nothing is lost on a crash).
  func start(_ path: String, markdown: Bool = false) throws(FileText.Failure) {
    self.path = path
    self.markdown = markdown
    lines =
      markdown
      ? ["# mpg session", "", "Recorded at the mpg prompt with `record --markdown`; passwords and secrets are masked.", ""]
      : ["#!/usr/bin/env mpg", "# Recorded at the mpg prompt; run it again with: mpg --local \(path)", ""]
    try flush()
  }

  /// Stops recording; returns the file's path.
  func stop() -> String? {
    defer { path = nil }
    return path
  }

  /// Adds a successful entry. `variables` are the session's variables before the entry ran; `consented`
  /// says a question of consent was answered yes while it ran, which a runbook must state with `--yes`.
  func add(_ entry: String, variables: [String: JSONValue], policy: HistoryPolicy, consented: Bool = false, output: String = "") {
    guard let path, !Self.isRecordCommand(entry) else { return }
    if markdown {
      if let reason = policy.reasonToSkip(entry.hasPrefix(" ") ? String(entry.dropFirst()) : entry) {
        lines.append("*(an entry was left out: \(reason))*\n")
      } else {
        let shown = output.isEmpty || output.hasSuffix("\n") ? output : output + "\n"
        lines.append("```\nmpg> \(entry)\n\(Self.withoutEscapes(shown))```\n")
      }
      try? flush()
      return
    }
    if let reason = policy.reasonToSkip(entry.hasPrefix(" ") ? String(entry.dropFirst()) : entry) {
      lines.append("# (an entry was left out: \(reason))")
    } else {
      let text = Self.replacingIDs(in: entry, variables: variables)
      lines.append(consented ? Self.statingConsent(text) : text)
    }
    try? flush()
    _ = path
  }

  private func flush() throws(FileText.Failure) {
    guard let path else { return }
    try FileText.writeAtomically(lines.joined(separator: "\n") + "\n", to: path, mode: 0o644)
  }

  /// `delete $pg` → `delete $pg --yes`: the answer given at the prompt, written into the runbook. An entry
  /// where an option at the end would land elsewhere (a pipe, several statements, a block) gets a note.
  static func statingConsent(_ entry: String) -> String {
    let text = String(entry.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\n" }.reversed())
    if text.contains(where: { "|;{}#\n".contains($0) }) {
      return "# consent was given at the prompt: add --yes to the command below to run it unattended\n" + text
    }
    return text + " --yes"
  }

  /// `text` without terminal escapes (colours, the live status line's `\r` and erase).
  static func withoutEscapes(_ text: String) -> String {
    var result = ""
    var escape = false
    for character in text {
      if escape {
        if character.isLetter { escape = false }
        continue
      }
      switch character {
      case "\u{1B}": escape = true
      case "\r": continue
      default: result.append(character)
      }
    }
    return result
  }

  static func isRecordCommand(_ entry: String) -> Bool {
    let first = entry.split(whereSeparator: { $0 == " " || $0 == "\t" }).first
    return first == "record" || first == "history" || first == "vars" || first == "set" || first == "help"
  }

  /// `get 5b0d…` → `get $pg` when `$pg` holds that service (or `$pg.id` inside a string).
  static func replacingIDs(in entry: String, variables: [String: JSONValue]) -> String {
    var text = entry
    for (name, value) in variables.sorted(by: { $0.key < $1.key }) {
      let id = value.kind == .object ? value["id"]?.stringValue : value.stringValue
      guard let id, id.count == 36, text.contains(id) else { continue }
      let reference = value.kind == .object ? "$\(name).id" : "$\(name)"
      text = text.replacingAll("\"\(id)\"", with: reference).replacingAll(
        id, with: value.kind == .object ? "$\(name)" : reference)
    }
    return text
  }
}
