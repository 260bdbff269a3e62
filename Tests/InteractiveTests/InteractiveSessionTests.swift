import Foundation
import MPGTestSupport
import Testing

/// The prompt through a real pseudo-terminal: pexpect (installed into the project's .venv by
/// scripts/install-deps) types, edits, completes, interrupts and recalls as a person would.
struct InteractiveSessionTests {
  @Test func promptSession() throws {
    try drive("prompt_session.py")
  }

  /// `--step` (run, skip, continue, quit) and `prompt --secret` (not echoed, not in the history).
  @Test func teachingSession() throws {
    try drive("teaching_session.py")
  }

  /// A fleet `wait` draws its live table on a terminal; `parallel for` labels its lines.
  @Test func fleetSession() throws {
    try drive("fleet_session.py")
  }

  private func drive(_ scriptName: String) throws {
    let root = MPGProcess.packageRoot()
    let python = root.appendingPathComponent(".venv/bin/python3")
    let script = root.appendingPathComponent("Tests/InteractiveTests/\(scriptName)")
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("mpg-prompt-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    defer {
      // Stop whatever the session left (its emulator stops with mpg; this removes the data).
      _ = try? MPGProcess.run(["emulator", "reset", "--data-dir", work.appendingPathComponent("data/mpg/emulator").path])
      try? FileManager.default.removeItem(at: work)
    }
    let run = try MPGProcess.run(executable: python, [script.path, MPGProcess.executableURL.path, work.path])
    let terminal = (try? String(contentsOf: work.appendingPathComponent("terminal.log"), encoding: .utf8)) ?? ""
    // The script's own report (the failed step and what mpg was doing) goes last: CI logs keep the end.
    #expect(run.status == 0, "--- terminal:\n\(terminal.suffix(3000))\n--- script:\n\(run.standardError)\(run.standardOutput)")
    #expect(run.standardOutput.hasSuffix("ok\n"), "\(run.standardOutput)")
  }
}
