import JQ

/// A command whose result, when it is a JSON array, it can also hand over in slices, so that
/// `COMMAND | .[] | FILTER` never holds the whole array (`load` of a large file).
///
/// The evaluator uses it only for filters that act on each element alone (`.[]` and `.[] | …`), buffers
/// what the filter prints until the command returns `true`, and otherwise forgets it all and calls
/// `run`, so the outputs and errors are always those of running the filter on `run`'s result.
public protocol ArrayStreamingCommand: Command {
  /// Hands `body` consecutive slices (arrays of whole elements) of the array that `run` would return
  /// for `call`, then returns `true` once that is certain. Returns `false`, possibly after some
  /// slices, whenever it is not: the result would be something else or an error, or the command
  /// cannot tell. Errors thrown by `body` are passed on.
  func streamArray(_ call: CommandCall, context: CommandContext, slices body: (JSONValue) throws -> Void) async throws -> Bool
}
