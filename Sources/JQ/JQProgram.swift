internal import CJQ

#if canImport(Glibc)
  import Glibc
#endif

/// A compiled jq program: one `jq_state`, compiled once and restarted for each input.
///
/// A program runs one input at a time: `start` abandons any run in progress. `requestHalt` may be
/// called from another thread (a signal watcher) to stop a long-running filter.
public final class JQProgram: @unchecked Sendable {
  private var state: OpaquePointer?
  private let messages = MessageCollector()

  /// Compiles `source`; `variables` become `$name` bindings fixed for the program's lifetime.
  public init(_ source: String, variables: [(String, JSONValue)] = []) throws(JQCompileError) {
    state = jq_init()
    // jq 1.6's `jq_init` leaves the input callback uninitialised, so `input` would call a garbage
    // pointer; with none set, `input` raises "No more inputs" and `inputs` is empty, as at the end
    // of the jq CLI's input.
    jq_set_input_cb(state, nil, nil)
    let context = Unmanaged.passUnretained(messages).toOpaque()
    jq_set_error_cb(
      state,
      { context, message in
        Unmanaged<MessageCollector>.fromOpaque(context!).takeUnretainedValue().receive(message)
      }, context)
    jq_set_debug_cb(
      state,
      { _, message in
        // jq's CLI prints `debug` output as ["DEBUG:",value] on stderr; do the same.
        let line = jv_array_append(jv_array_append(jv_array(), jv_string("DEBUG:")), message)
        jv_dumpf(line, mpg_stderr(), 0)
        fputc(0x0A, mpg_stderr())
      }, nil)
    let arguments = JSONValue(object: variables)
    let compiled = jq_compile_args(state, source, arguments.retained())
    if compiled == 0 {
      let diagnostics = messages.take()
      jq_teardown(&state)
      throw JQCompileError(
        diagnostics: diagnostics.isEmpty
          ? [.init(message: "the jq program does not compile", line: nil)] : diagnostics)
    }
    _ = messages.take()
  }

  deinit {
    jq_teardown(&state)
  }

  /// Starts a run on `input`, abandoning any run still in progress.
  public func start(_ input: JSONValue) {
    jq_start(state, input.retained(), 0)
  }

  /// The next output of the current run, `nil` at its end.
  public func next() throws(JQRunError) -> JSONValue? {
    let output = jq_next(state)
    if jv_is_valid(output) != 0 { return JSONValue(owning: output) }
    if jq_halted(state) != 0 {
      jv_free(output)
      let code = JSONValue.result(of: jq_get_exit_code(state))
      let message = JSONValue.result(of: jq_get_error_message(state))
      throw .halted(exitCode: try? code.get(), message: try? message.get())
    }
    if jv_invalid_has_msg(jv_copy(output)) != 0 {
      throw .error(JQError(invalid: output))
    }
    jv_free(output)
    return nil
  }

  /// Runs the program on `input` and collects every output.
  public func outputs(for input: JSONValue) throws(JQRunError) -> [JSONValue] {
    start(input)
    var outputs: [JSONValue] = []
    while let output = try next() { outputs.append(output) }
    return outputs
  }

  /// Stops the current run at its next step; safe from any thread and when nothing runs.
  public func requestHalt() {
    mpg_jq_request_halt(state)
  }
}

/// Why a run of a jq program stopped early.
public enum JQRunError: Error, @unchecked Sendable {
  /// The program raised an error (`error(…)`, a type error, …).
  case error(JQError)
  /// The program called `halt`/`halt_error`, or `requestHalt` stopped it.
  case halted(exitCode: JSONValue?, message: JSONValue?)
}

/// Collects the error callback's messages during a compile.
final class MessageCollector {
  private var diagnostics: [JQCompileError.Diagnostic] = []

  func receive(_ message: jv) {
    let text = JSONValue(owning: message).stringValue ?? ""
    if let diagnostic = JQCompileError.Diagnostic(jqMessage: text) {
      diagnostics.append(diagnostic)
    }
  }

  func take() -> [JQCompileError.Diagnostic] {
    defer { diagnostics = [] }
    return diagnostics
  }
}
