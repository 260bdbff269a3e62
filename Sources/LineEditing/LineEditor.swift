// The LineEditing target: line editing, in-memory history and Tab completion on libedit. It is the
// only importer of CEditLine; no libedit type appears in its public API.
internal import CEditLine

#if canImport(Glibc)
  import Glibc
#endif

/// How a read ended.
public enum LineReadResult: Equatable, Sendable {
  /// A line (without its newline).
  case line(String)
  /// Ctrl-C: the line was abandoned.
  case interrupted
  /// Ctrl-D on an empty line, or the end of input.
  case endOfInput
}

/// Emacs or vi key bindings.
public enum EditingMode: String, Sendable, CaseIterable {
  case emacs, vi
}

/// What Tab offers for the text before the cursor.
public struct Completion: Sendable, Equatable {
  /// How many characters before the cursor the candidates replace (the word being completed).
  public var replacing: Int
  /// The full words that may replace it.
  public var candidates: [String]
  /// Whether a single candidate is followed by a space (not after `$var.` or a directory).
  public var appendsSpace: Bool

  /// A completion.
  public init(replacing: Int, candidates: [String], appendsSpace: Bool = true) {
    self.replacing = replacing
    self.candidates = candidates
    self.appendsSpace = appendsSpace
  }

  /// Nothing to offer.
  public static let none = Completion(replacing: 0, candidates: [])
}

/// Answers Tab: given the line and the cursor offset (in characters), what could come next.
public protocol LineCompleter: AnyObject {
  /// The completion for `line` with the cursor at `cursor`.
  func completion(for line: String, cursor: Int) -> Completion
}

/// One libedit editor on the process's terminal, with its history. Not thread-safe: use it from one task.
public final class LineEditor {
  private let editLine: OpaquePointer
  private let history: OpaquePointer
  private var promptBuffer: UnsafeMutablePointer<CChar>
  /// Answers Tab.
  public weak var completer: (any LineCompleter)?

  /// An editor for the terminal on standard input/output, reading `~/.editrc` like other libedit programs.
  public init(programName: String) {
    // Multibyte input (UTF-8) needs the user's locale for LC_CTYPE.
    mpg_el_use_environment_locale()
    editLine = el_init(programName, mpg_el_stdin(), mpg_el_stdout(), mpg_el_stderr())
    history = mpg_history_init()
    promptBuffer = strdup("> ")
    mpg_history_setsize(history, 5000)
    mpg_history_setunique(history, 1)
    mpg_el_set_history(editLine, history)
    mpg_el_set_editor(editLine, "emacs")
    // libedit's own signal handling is off: it swaps SIGINT handlers around every read and can leave
    // its own behind, which swallowed the next Ctrl-C. Ctrl-C ends a read through the reader below,
    // and the window size is read again before each line.
    mpg_el_set_signal(editLine, 0)
    mpg_el_use_interruptible_reader(editLine)
    mpg_el_set_clientdata(editLine, Unmanaged.passUnretained(self).toOpaque())
    mpg_el_set_prompt(editLine, lineEditorPrompt)
    mpg_el_add_function(editLine, "mpg-complete", "Complete the word before the cursor", lineEditorComplete)
    mpg_el_bind(editLine, "^I", "mpg-complete")
    mpg_el_source_editrc(editLine)
  }

  deinit {
    el_end(editLine)
    mpg_history_end(history)
    free(promptBuffer)
  }

  /// Switches between emacs and vi key bindings.
  public func setEditingMode(_ mode: EditingMode) {
    mpg_el_set_editor(editLine, mode.rawValue)
    mpg_el_bind(editLine, "^I", "mpg-complete")
  }

  /// Adds a line to the in-memory history (arrow-up recall).
  public func addToHistory(_ line: String) {
    mpg_history_enter(history, line)
  }

  /// Reads one line with `prompt`. Ctrl-C abandons the line (`.interrupted`); Ctrl-D on an empty
  /// line or the end of input gives `.endOfInput`.
  public func readLine(prompt: String) -> LineReadResult {
    free(promptBuffer)
    promptBuffer = strdup(prompt)
    el_resize(editLine)
    _ = mpg_el_take_interrupt()
    // Raw before the prompt shows, so what is typed as soon as it shows is read as keys.
    _ = mpg_el_prepare_terminal(editLine)
    var count: Int32 = 0
    let raw = el_gets(editLine, &count)
    if mpg_el_was_interrupted() != 0 {
      el_reset(editLine)
      fputs("\n", mpg_el_stdout())
      fflush(mpg_el_stdout())
      return .interrupted
    }
    guard let raw, count > 0 else { return .endOfInput }
    var line = String(cString: raw)
    if line.hasSuffix("\n") { line.removeLast() }
    return .line(line)
  }

  /// Abandons the line being read, as Ctrl-C does; safe from any thread.
  public static func interruptRead() {
    mpg_el_interrupt_read()
  }

  /// Makes Ctrl-C (SIGINT) set a note that `readLine` and `takeInterrupt()` look at, for the life of
  /// the process. The prompt relies on it rather than a dispatch signal source: such a source needs
  /// SIGINT blocked in every thread, and libedit and child processes leave the main thread unblocked,
  /// so the kernel dropped the signal as ignored.
  public static func installInterruptHandler() {
    mpg_el_install_interrupt_handler()
  }

  /// Whether Ctrl-C was pressed since the last look; clears the note.
  public static func takeInterrupt() -> Bool {
    mpg_el_take_interrupt() != 0
  }

  /// Tells libedit the window changed size.
  public func resize() {
    el_resize(editLine)
  }

  fileprivate var prompt: UnsafeMutablePointer<CChar> { promptBuffer }

  /// Tab: asks the completer, inserts a single candidate or the common prefix, or lists them.
  fileprivate func complete() -> UInt8 {
    guard let completer else { return UInt8(CC_ERROR) }
    var length: Int32 = 0
    var cursor: Int32 = 0
    let buffer = mpg_el_line_text(editLine, &length, &cursor)
    let bytes = UnsafeRawBufferPointer(start: buffer, count: Int(cursor))
    let beforeCursor = String(decoding: bytes, as: UTF8.self)
    let completion = completer.completion(for: beforeCursor, cursor: beforeCursor.count)
    guard !completion.candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
    let typed = String(beforeCursor.suffix(completion.replacing))
    if completion.candidates.count == 1, let only = completion.candidates.first {
      replaceWord(typed, with: only, suffix: completion.appendsSpace ? " " : "")
      return UInt8(CC_REFRESH)
    }
    let common = Self.commonPrefix(completion.candidates)
    if common.count > typed.count, common.hasPrefix(typed) {
      replaceWord(typed, with: common, suffix: "")
      return UInt8(CC_REFRESH)
    }
    // Nothing more to insert: show the choices under the line, then redraw it.
    let width = (completion.candidates.map(\.count).max() ?? 0) + 2
    let columns = max(1, 80 / max(width, 1))
    var text = "\n"
    for (index, candidate) in completion.candidates.prefix(200).enumerated() {
      text += candidate.padding(to: width)
      if (index + 1) % columns == 0 { text += "\n" }
    }
    if completion.candidates.count > 200 { text += "\n… \(completion.candidates.count - 200) more" }
    if !text.hasSuffix("\n") { text += "\n" }
    fputs(text, mpg_el_stdout())
    fflush(mpg_el_stdout())
    return UInt8(CC_REDISPLAY)
  }

  /// Replaces the `typed` word before the cursor with `word` (inserting only the rest when it extends it).
  private func replaceWord(_ typed: String, with word: String, suffix: String) {
    if word.hasPrefix(typed) {
      el_insertstr(editLine, String(word.dropFirst(typed.count)) + suffix)
    } else {
      el_deletestr(editLine, Int32(typed.utf8.count))
      el_insertstr(editLine, word + suffix)
    }
  }

  /// The longest prefix every string shares.
  static func commonPrefix(_ strings: [String]) -> String {
    guard var prefix = strings.first else { return "" }
    for string in strings.dropFirst() {
      while !string.hasPrefix(prefix) { prefix.removeLast() }
    }
    return prefix
  }
}

private func editor(_ editLine: OpaquePointer?) -> LineEditor? {
  guard let editLine, let data = mpg_el_get_clientdata(editLine) else { return nil }
  return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue()
}

private let lineEditorPrompt: @convention(c) (OpaquePointer?) -> UnsafeMutablePointer<CChar>? = { editLine in
  editor(editLine)?.prompt
}

private let lineEditorComplete: @convention(c) (OpaquePointer?, Int32) -> UInt8 = { editLine, _ in
  editor(editLine)?.complete() ?? UInt8(CC_ERROR)
}

extension String {
  func padding(to width: Int) -> String {
    count >= width ? self + " " : self + String(repeating: " ", count: width - count)
  }
}
