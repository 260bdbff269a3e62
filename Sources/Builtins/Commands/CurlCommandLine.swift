import CloudAPI
import Interpreter
import JQ
import Outcomes

/// `curl`: the last request as an equivalent curl command line (credentials as `$KEY_ID:$KEY_SECRET`).
public struct CurlCommandLine: APICommand {
  public let name = "curl"
  public let summary = "Print the last API request as a curl command, with the key as $KEY_ID:$KEY_SECRET."
  public let usage = "curl"
  public let examples = ["get $pg; curl"]
  public let options: [CommandOption] = []
  public let session: APISession

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    try call.expectPositionals(0...0, usage: usage)
    guard let request = session.lastRequest, let endpoint = session.endpoint else {
      throw RuntimeError(
        kind: .usage, message: "no API request has been sent yet", at: call.span, exitCode: ExitStatus.usageError)
    }
    context.output.write(CurlCommand.text(for: request, endpoint: endpoint, showSecrets: session.options.showSecrets) + "\n")
    return nil
  }
}
