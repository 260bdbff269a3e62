import JQ

/// What a filter gave when run slice by slice over a command's array: its outputs, then the failure
/// that stopped it, if one did.
struct SlicedOutputs {
  /// Every output, in order, up to the failure; packed, as jq values held among the freed slices
  /// would slow the heap down.
  let outputs: PackedValues
  /// Raises the failure as running the filter on the whole array would have; called only once the
  /// outputs before it are handed on (a `halt_error` prints its message as it is raised).
  let throwFailure: () throws -> Void

  /// The outputs, or the failure.
  func get() throws -> [JSONValue] {
    try throwFailure()
    return outputs.values
  }
}

extension Evaluator {
  /// Runs an elementwise `filter` (`.[] | …`) on the slices of `command`'s array as they come, so the
  /// whole array is never held. Returns `nil` when the command could not produce its result in
  /// slices: the caller then runs it as usual, and nothing seen here has been shown.
  func filterInSlices(_ command: any ArrayStreamingCommand, _ call: CommandCall, context: CommandContext, filter: Expression)
    async throws -> SlicedOutputs?
  {
    var outputs = PackedValues()
    var failure: (any Error)?
    let complete = try await command.streamArray(call, context: context) { slice in
      try interrupts.check()
      // After a failure the rest is still read, only to confirm that the whole array is valid: if
      // it is not, the command's own error is what the usual path reports.
      guard failure == nil else { return }
      do {
        try streamReportingJQErrors(filter, input: slice) { outputs.append($0) }
      } catch {
        try interrupts.check()  // a halt caused by Ctrl-C
        failure = error
      }
    }
    guard complete else { return nil }
    return SlicedOutputs(outputs: outputs) { [self, failure] in
      switch failure {
      case nil: return
      case let error as JQRunError: throw try runtimeError(error, expression: filter)
      case let error?: throw error
      }
    }
  }
}
