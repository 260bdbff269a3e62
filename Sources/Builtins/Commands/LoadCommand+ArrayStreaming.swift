import Interpreter
import JQ

/// `load FILE | .[] | …` reads a file holding a large array one slice at a time.
extension LoadCommand: ArrayStreamingCommand {
  public func streamArray(_ call: CommandCall, context: CommandContext, slices body: (JSONValue) throws -> Void) async throws
    -> Bool
  {
    // Only a plain `load FILE`; `run` handles (and reports) everything else. Standard input cannot be
    // read a second time, should `run` have to read it after all.
    guard call.options.isEmpty, call.fields.isEmpty, call.positionals.count == 1 else { return false }
    let path = context.resolvePath(call.positionals[0].text)
    guard path != "-" else { return false }
    return try JSONValue.forEachArraySlice(inFileAtPath: path, body)
  }
}
