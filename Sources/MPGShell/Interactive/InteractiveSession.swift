import Builtins
import CloudAPI
import Interpreter
import JQ
import LineEditing
import Outcomes

#if canImport(Glibc)
  import Glibc
#endif

/// `mpg` on a terminal: libedit line editing, history shared across sessions (never with secrets),
/// Tab completion that knows the API, and results printed for people.
final class InteractiveSession {
  let runner: ScriptRunner
  let session: APISession
  let commands: BuiltinRegistry
  let isLocal: Bool
  let editor = LineEditor(programName: "mpg")
  let history: HistoryFile
  let services: ServiceCache
  let recorder = SessionRecorder()
  private let completer: PromptCompleter

  /// Where results print (it keeps a copy for `record --markdown`).
  private var display: DisplayOutput? { runner.evaluator.output as? DisplayOutput }

  init(runner: ScriptRunner, session: APISession, commands: BuiltinRegistry, history: HistoryFile, isLocal: Bool) {
    self.runner = runner
    self.session = session
    self.commands = commands
    self.isLocal = isLocal
    self.history = history
    services = ServiceCache { [session] in
      await session.quietServiceList()?.map { ServiceCache.Service(id: $0.id, name: $0.name) }
    }
    completer = PromptCompleter(commands: commands, evaluator: runner.evaluator, services: services)
    editor.completer = completer
    for entry in history.load() { editor.addToHistory(entry) }
  }

  /// `mpg ORG> `, `mpg local> `, or `mpg> ` before the organization is known.
  var prompt: String {
    let mode = session.readOnlyReason == nil ? "" : " read-only"
    if isLocal { return "mpg local\(mode)> " }
    if let organization = session.organizationID { return "mpg \(organization.prefix(8))\(mode)> " }
    return "mpg\(mode)> "
  }

  /// Runs until Ctrl-D or `exit`; returns the exit code.
  func run() async -> Int32 {
    // Ctrl-C only sets a note (see LineEditor.installInterruptHandler): the read in progress ends,
    // or the running entry is interrupted by the watcher below.
    LineEditor.installInterruptHandler()
    // With a key at hand (flags, environment, .env, profile), connect and fill the service cache in the
    // background, so Tab knows the services before any command ran. `--local` connects on first use:
    // starting the emulator would hold up the prompt.
    if !isLocal {
      await session.connectQuietly()
      services.refreshIfStale(now: Double(time(nil)))
    }
    var entryNumber = 0
    while true {
      guard let entry = readEntry() else {
        runner.evaluator.output.write("\n")
        runner.evaluator.output.flush()
        return ExitStatus.success
      }
      if entry.allSatisfy(\.isWhitespace) { continue }
      remember(entry)
      entryNumber += 1
      runner.interrupts.reset()
      let file = SourceFile(name: "<input \(entryNumber)>", text: entry)
      let variablesBefore = runner.evaluator.globalVariables
      let consentsBefore = session.consentsGiven
      // While the entry runs, a Ctrl-C noted by the handler interrupts it (looked at every 50 ms).
      let interrupts = runner.interrupts
      let watcher = Task.detached {
        while !Task.isCancelled {
          if LineEditor.takeInterrupt() { interrupts.interrupt() }
          try? await Task.sleep(nanoseconds: 50_000_000)
        }
      }
      defer { watcher.cancel() }
      if recorder.markdown { display?.startCapture() }
      do {
        let script = try runner.evaluator.load(file)
        try await runner.evaluator.run(script)
        runner.evaluator.output.flush()
        if recorder.isRecording {
          recorder.add(
            entry, variables: variablesBefore, policy: HistoryPolicy(knownSecrets: knownSecrets),
            consented: session.consentsGiven > consentsBefore, output: display?.takeCaptured() ?? "")
        }
      } catch let exit as ExitRequest {
        return exit.code
      } catch is Interruption {
        runner.evaluator.output.flush()
        runner.evaluator.output.writeError("^C interrupted\n")
      } catch {
        runner.report(error)
      }
      _ = display?.takeCaptured()
      services.refreshIfStale(now: Double(time(nil)))
    }
  }

  /// One entry: more lines while a block, bracket or trailing `|` is open. Ctrl-C clears it.
  private func readEntry() -> String? {
    var text = ""
    while true {
      switch editor.readLine(prompt: text.isEmpty ? prompt : "...> ") {
      case .endOfInput:
        return text.isEmpty ? nil : text
      case .interrupted:
        text = ""
      case .line(let line):
        text += line + "\n"
        if InputCompleteness.isComplete(text) { return String(text.dropLast()) }
      }
    }
  }

  /// Adds the entry to the editor's history, and to the file unless it carries a secret.
  private func remember(_ entry: String) {
    editor.addToHistory(entry)
    guard HistoryPolicy(knownSecrets: knownSecrets).reasonToSkip(entry) == nil else { return }
    history.append(entry)
  }

  /// The passwords in the vault, which no saved entry may contain.
  private var knownSecrets: [String] {
    ((try? session.vault.entries()) ?? []).map(\.password)
  }

  /// Changes the editing mode (`set editing vi`).
  func setEditing(_ mode: EditingMode) {
    editor.setEditingMode(mode)
  }
}
