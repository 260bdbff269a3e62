import CloudAPI
import Interpreter
import JQ

/// `backups REF`: a service's backups.
public struct BackupsCommand: APICommand {
  public let name = "backups"
  public let summary = "List a service's backups (the points a restore can start from)."
  public let usage = "backups REF [--limit N] [--cursor C]"
  public let examples = ["backups $pg", "backups $pg | map(.lastModified) | max"]
  public let options = [
    CommandOption("limit", takesValue: true, summary: "At most this many backups."),
    CommandOption("cursor", takesValue: true, summary: "Continue a previous listing."),
  ]
  public let session: APISession
  public var firstArgumentIsService: Bool { true }

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    try call.expectPositionals(1...1, usage: usage)
    let query = [("limit", "limit"), ("cursor", "cursor")].compactMap { option, parameter in
      call.options[option].map { (parameter, $0.text) }
    }
    if let limit = call.options["limit"], !(Int(limit.text).map { $0 >= 1 } ?? false) {
      throw call.usageError("--limit takes a whole number of at least 1, not \(limit.text)", at: limit.span)
    }
    let (id, path) = try await session.servicePath(of: call.positionals[0], suffix: "/backups", for: call, in: context)
    return try await session.send(APIRequest("GET", path, query: query), for: call, in: context).result
  }
}
