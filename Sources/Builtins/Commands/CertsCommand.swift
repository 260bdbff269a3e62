import CloudAPI
import FileIO
import Interpreter
import JQ
import Outcomes

/// `certs REF [--save FILE]`: the CA certificate (PEM) that signs the service's server certificate.
public struct CertsCommand: APICommand {
  public let name = "certs"
  public let summary = "Fetch the CA certificate (PEM) of a service, to verify its server; --save writes it to a file."
  public let usage = "certs REF [--save FILE]"
  public let examples = ["certs $pg --save ca.pem", "certs my-db | split(\"\\n\") | .[0]"]
  public let options = [CommandOption("save", takesValue: true, summary: "Write the PEM to FILE as well.")]
  public let session: APISession
  public var firstArgumentIsService: Bool { true }

  public var printsStringsRaw: Bool { true }

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    try call.expectPositionals(1...1, usage: usage)
    let (id, path) = try await session.servicePath(of: call.positionals[0], suffix: "/caCertificates", for: call, in: context)
    let pem = try await session.send(APIRequest("GET", path), for: call, in: context).result
    if let save = call.options["save"], let text = pem.stringValue {
      do {
        try FileText.writeAtomically(text, to: context.resolvePath(save.text))
      } catch {
        throw RuntimeError(kind: .io, message: error.message, at: save.span)
      }
    }
    return pem
  }
}
