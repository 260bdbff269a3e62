import CloudAPI
import Interpreter
import JQ
import Outcomes

/// `credentials` lists the kept service passwords (masked); `credentials forget REF` drops one.
public struct CredentialsCommand: APICommand {
  public let name = "credentials"
  public let summary = "List the service passwords mpg keeps (masked), or forget one."
  public let usage = "credentials | credentials forget REF"
  public let examples = ["credentials", "credentials forget $pg"]
  public let options: [CommandOption] = []
  public let session: APISession

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    if let action = call.positionals.first {
      guard action.word == "forget", call.positionals.count == 2 else {
        throw call.usageError("usage: \(usage)", at: action.span)
      }
      let reference = call.positionals[1]
      let id = try await ServiceReference.id(of: reference, through: session, for: call, in: context)
      _ = try await session.organizationPath(for: call, in: context)
      let forgotten = (try? session.vault.forget(organizationID: session.organizationID ?? "", serviceID: id)) ?? false
      guard forgotten else {
        throw RuntimeError(kind: .notFound, message: "mpg keeps no password for service \(id)", at: reference.span)
      }
      return nil
    }
    let entries: [CredentialVault.Entry]
    do {
      entries = try session.vault.entries()
    } catch {
      throw RuntimeError(kind: .credentials, message: error.message, at: call.span)
    }
    return JSONValue(
      array: entries.map { entry in
        JSONValue(object: [
          ("organizationId", JSONValue(entry.organizationID)), ("serviceId", JSONValue(entry.serviceID)),
          ("name", entry.serviceName.map { JSONValue($0) } ?? .null), ("username", JSONValue(entry.username)),
          ("password", JSONValue(SecretMasking.mask)), ("savedAt", JSONValue(entry.savedAt)),
        ])
      })
  }
}
