import CloudAPI
import Interpreter
import JQ
import Outcomes

/// `connect REF [-c SQL | --print]`: psql on the service, with the password from the vault (through
/// a 0600 passfile in memory, never argv or disk) and the server verified against the service's CA.
public struct ConnectCommand: APICommand {
  public let name = "connect"
  public let summary = "Open psql on a service (the prompt comes back after \\q); -c runs one command."
  public let usage = "connect REF [-c SQL | --command SQL] [--database NAME] [--print]"
  public let examples = ["connect $pg", #"connect my-db -c "select version()""#, "connect $pg --print"]
  public let options = [
    CommandOption("command", takesValue: true, summary: "Run this SQL and print psql's output instead of opening a session."),
    CommandOption("database", takesValue: true, summary: "The database (default postgres)."),
    CommandOption("print", summary: "Only show the connection string, password masked."),
    CommandOption("password", takesValue: true, summary: "Use this password instead of the one mpg keeps."),
  ]
  public let session: APISession
  public var firstArgumentIsService: Bool { true }

  public func run(_ call: CommandCall, context: CommandContext) async throws -> JSONValue? {
    // `connect REF -c SQL`, as with psql itself, besides `--command SQL`.
    var commandText = call.options["command"]
    if call.positionals.count == 3, call.positionals[1].word == "-c" {
      commandText = call.positionals[2]
    } else {
      try call.expectPositionals(1...1, usage: usage)
    }
    let id = try await ServiceReference.id(of: call.positionals[0], through: session, for: call, in: context)
    let database = call.options["database"]?.text ?? "postgres"
    let connection = try await PostgresConnection.open(
      serviceID: id, database: database, password: call.options["password"]?.value.stringValue, session, call, context)
    defer { connection.close() }
    // A dry run never opens psql on a terminal; `-c SQL` runs on the twin that answers it.
    if call.options["print"] != nil || session.isDryRun || (session.options.dryRun && commandText == nil) {
      return JSONValue(connection.maskedURL)
    }
    context.output.flush()
    if let command = commandText {
      let outcome = try await PsqlProcess.capture(connection, arguments: ["-v", "ON_ERROR_STOP=1", "-c", command.text])
      guard outcome.status == 0 else {
        throw RuntimeError(kind: .sql, message: "psql: \(outcome.error.trimmingTrailingNewlines)", at: command.span)
      }
      // As `psql -c` prints it: a table for people, not a value (`sql` returns rows as JSON).
      context.output.write(outcome.output)
      return nil
    }
    let status = try await PsqlProcess.interactive(connection, arguments: [])
    // psql handled the Ctrl-C presses of its session; they were not meant for the script.
    context.clearInterruption()
    guard status == 0 else {
      throw RuntimeError(kind: .sql, message: "psql exited with status \(status)", at: call.span)
    }
    return nil
  }
}

extension String {
  var trimmingTrailingNewlines: String {
    var text = Substring(self)
    while text.last == "\n" || text.last == "\r" { text.removeLast() }
    return String(text)
  }
}
