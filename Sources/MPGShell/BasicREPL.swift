import Interpreter

/// A plain interactive loop: read an entry (more lines while brackets or blocks are open), run it,
/// report errors and carry on. The full line-editing REPL replaces this in a later issue.
struct BasicREPL {
  let runner: ScriptRunner

  func run() async -> Int32 {
    let watcher = SignalWatcher(interrupts: runner.interrupts)
    defer { withExtendedLifetime(watcher) {} }
    var entryNumber = 0
    while true {
      guard let entry = readEntry() else {
        runner.evaluator.output.write("\n")
        return ExitStatus.success
      }
      if entry.allSatisfy({ $0 == " " || $0 == "\n" || $0 == "\t" }) { continue }
      entryNumber += 1
      runner.interrupts.reset()
      let file = SourceFile(name: "<input \(entryNumber)>", text: entry)
      let script: Script
      do {
        script = try runner.evaluator.load(file)
      } catch {
        runner.report(error)
        continue
      }
      do {
        try await runner.evaluator.run(script)
        runner.evaluator.output.flush()
      } catch let exit as ExitRequest {
        return exit.code
      } catch {
        runner.report(error)
      }
    }
  }

  private func readEntry() -> String? {
    var text = ""
    var prompt = "mpg> "
    while true {
      runner.evaluator.output.write(prompt)
      runner.evaluator.output.flush()
      guard let line = readLine(strippingNewline: true) else {
        return text.isEmpty ? nil : text
      }
      text += line + "\n"
      if InputCompleteness.isComplete(text) { return text }
      prompt = "...> "
    }
  }
}
