import Interpreter
import JQ

/// `sleep DURATION`: pauses, and stops early on Ctrl-C.
public struct SleepCommand: Command {
  public let name = "sleep"
  public let summary = "Pause for a while: 250ms, 2s, 1m, 1h, or a number of seconds."
  public let usage = "sleep DURATION"
  public let examples = ["sleep 2s", "sleep 250ms", "sleep 0.5"]
  public let options: [CommandOption] = []

  /// The command.
  public init() {}

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    try call.expectPositionals(1...1, usage: usage)
    let argument = call.positionals[0]
    guard let seconds = DurationText.seconds(argument.value), seconds >= 0 else {
      throw call.usageError(
        "`\(argument.text)` is not a duration; write 250ms, 2s, 1m, 1h or a number of seconds", at: argument.span)
    }
    context.output.flush()
    var remaining = seconds
    while remaining > 0 {
      try context.checkInterrupted()
      let step = min(remaining, 0.02)
      try await Task.sleep(nanoseconds: UInt64(step * 1e9))
      remaining -= step
    }
    try context.checkInterrupted()
    return nil
  }
}
