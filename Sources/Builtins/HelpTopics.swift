import Outcomes

/// A page of `help` that is not a command: a statement of the language, or a topic such as exit codes.
public struct HelpTopic: Sendable {
  /// What the page is about, for listings and for "did you mean" messages.
  public enum Kind: String, Sendable {
    /// A statement of the language (`let`, `for`, `try`).
    case statement
    /// Anything else worth a page (`variables`, `exit-codes`).
    case topic
  }

  /// The word after `help`.
  public let name: String
  /// Statement or topic.
  public let kind: Kind
  /// One line for the overview.
  public let summary: String
  /// The page.
  public let text: String
}

/// The statements and topics `help` explains, beside the commands it reads from their declarations.
public enum HelpTopics {
  /// Every page, statements first, in the order the overview lists them.
  public static let all: [HelpTopic] = statements + topics

  static let statements: [HelpTopic] = [
    HelpTopic(
      name: "let", kind: .statement, summary: "Bind a variable to exactly one value.",
      text: """
        let NAME = PIPELINE

        Binds $NAME to the one value the pipeline produces (a jq expression or a command, optionally
        followed by | FILTER). No value or several values is an error: wrap several in [ … ].

          let pg = create name=demo provider=aws region=us-east-1 size=r8gd.large
          let ids = list | map(.id)
        """),
    HelpTopic(
      name: "if", kind: .statement, summary: "Run a block when a condition holds (elif, else).",
      text: """
        if EXPR { … } elif EXPR { … } else { … }

        jq truthiness: only false and null are false. The condition must give one value.

          if $pg.state == "running" { echo up } else { echo "not yet" }
        """),
    HelpTopic(
      name: "for", kind: .statement, summary: "Run a block once per output of an expression.",
      text: """
        for NAME in EXPR { … }

        EXPR is evaluated once, fully, before the first iteration; $NAME is each output in turn.
        break and continue work inside.

          let services = list
          for svc in $services[] { echo $svc.name $svc.state }
          for i in range(3) { echo $i }
        """),
    HelpTopic(
      name: "parallel", kind: .statement, summary: "Run a block once per output, several iterations at a time.",
      text: """
        parallel for NAME in EXPR [--jobs N] [--label (FILTER) | --no-label] { … }

        Like for, but up to N iterations (default 4) run at once, taking turns at their waits, so
        their requests go out together within the API's rate limit. Each iteration reads a copy of
        the variables around it and may not bind them (a syntax error); what it binds is its own.
        Lines are printed whole, starting with the iteration's label: the value's .name, the value
        itself, or --label's output. Every iteration runs to its end; then the statement fails if
        any did, and catch sees each failure in $e.failures. continue ends an iteration; exit or
        Ctrl-C stops them all.

          let fleet = list | map(select(.state == "running"))
          parallel for svc in $fleet[] { let answer = restart $svc }
          wait $fleet
        """),
    HelpTopic(
      name: "while", kind: .statement, summary: "Repeat a block while a condition holds.",
      text: """
        while EXPR { … }

        Checks EXPR before each round; break and continue work inside.

          let n = 0
          while $n < 3 { let n = $n + 1 }
        """),
    HelpTopic(
      name: "try", kind: .statement, summary: "Catch a runtime error and handle it.",
      text: """
        try { … } catch NAME { … }

        Runs the handler with $NAME bound to the error: message, kind (jq, assert, value, usage, io,
        api, read_only, cancelled, …), location, and for API errors status, error and requestId.

          try { get old-db } catch e { echo "no old-db: \\($e.message)" }
        """),
    HelpTopic(
      name: "fn", kind: .statement, summary: "Define a command of your own.",
      text: """
        fn NAME PARAM… { … }

        Call it like a command: NAME ARG…. It reads the script's variables, binds its own locals,
        and gives back a value with return.

          fn describe svc { return "\\($svc.name) in \\($svc.region)" }
          let line = describe $pg
        """),
    HelpTopic(
      name: "return", kind: .statement, summary: "End a fn, giving back a value.",
      text: """
        return [PIPELINE]

        Inside a fn: ends it, and its call gives the pipeline's one value (or nothing).
        """),
    HelpTopic(
      name: "break", kind: .statement, summary: "Leave the innermost for or while loop.",
      text: "break\n\nLeaves the innermost loop; continue starts its next round.\n"),
    HelpTopic(
      name: "continue", kind: .statement, summary: "Start the next round of the innermost loop.",
      text: "continue\n\nSkips the rest of the body and starts the next round of the innermost loop.\n"),
    HelpTopic(
      name: "source", kind: .statement, summary: "Run another file in the current scope.",
      text: """
        source FILE

        Runs FILE as if its statements stood here; its fns and variables stay. A relative path is
        relative to the file that sources it.
        """),
    HelpTopic(
      name: "assert", kind: .statement, summary: "Fail the run (exit 1) unless a condition holds.",
      text: """
        assert EXPR [MESSAGE]

          assert ($services | length) > 0 "no services yet"
        """),
    HelpTopic(
      name: "exit", kind: .statement, summary: "End the run with an exit code.",
      text: "exit [CODE]\n\nEnds the whole run at once with CODE (default 0); `help exit-codes` lists mpg's own.\n"),
  ]

  static let topics: [HelpTopic] = [
    HelpTopic(
      name: "variables", kind: .topic, summary: "How variables are bound, seen by jq, and scoped.",
      text: """
        Variables

        let NAME = … binds $NAME; every variable is visible to jq as $NAME, so "\\($pg.id)" and
        list | map(select(.id == $pg.id)) work. Blocks do not open a scope; a fn has its own locals.

          $args   the script's arguments (mpg FILE ARG…), an array of strings
          $last   the last API request: status, requestId, method, path, ms
          $ENV    the environment (jq's)

        --arg NAME VALUE and --argjson NAME JSON bind more before the script starts.
        A command argument that evaluates to null (name=$args[0] with no argument) is an error, so
        nothing is sent by accident; write key:=null to send null on purpose.
        """),
    HelpTopic(
      name: "exit-codes", kind: .topic, summary: "What mpg's exit status means.",
      text: table(
        title: "Exit codes", rows: ProcessReference.statuses.map { ("\($0.code)", $0.meaning) })),
    HelpTopic(
      name: "errors", kind: .topic, summary: "The kinds of error catch sees in $e.kind.",
      text: table(
        title: "Error kinds ($e.kind)", rows: ErrorKind.allCases.map { ($0.rawValue, $0.meaning.replacingAll("`", with: "")) })),
    HelpTopic(
      name: "environment", kind: .topic, summary: "The environment variables mpg reads.",
      text: table(
        title: "Environment", rows: ProcessReference.variables.map { ($0.name, $0.meaning) })),
    HelpTopic(
      name: "files", kind: .topic, summary: "The files mpg writes, and their modes.",
      text: table(
        title: "Files", rows: ProcessReference.files.map { ("\($0.path) (\($0.mode))", $0.meaning) })),
    HelpTopic(
      name: "consent", kind: .topic, summary: "Which commands ask before they act, and --yes.",
      text: """
        Consent

        Commands whose effect cannot be undone ask first: delete, promote, password (the old password
        stops working), config REF replace (settings left out return to their defaults). On a
        terminal mpg shows the service (name, id, state, age, tags) and asks; --yes skips the question.
        Where nobody can be asked (standard input is not a terminal: a pipe, cron, CI) they refuse
        without --yes, exit 2, and send nothing. A runbook states its consent with --yes.

        restart and switchover only interrupt connections and leave the service as it was: they do not
        ask. The raw api command sends what it is given.
        """),
    HelpTopic(
      name: "read-only", kind: .topic, summary: "Explore production without changing anything.",
      text: """
        Read-only mode

        mpg --read-only (or MPG_READ_ONLY=1, or read_only = true in a profile) sends only GET requests:
        a command that would change something fails before anything is sent, exit 2, kind read_only.
        connect and sql run psql with read-only transactions. The prompt shows "read-only".

          mpg --read-only --profile prod
          MPG_READ_ONLY=1 mpg audit.mpg
        """),
    HelpTopic(
      name: "body-checks", kind: .topic, summary: "How request bodies are checked before they are sent.",
      text: """
        Body checks

        create, patch, replica, restore, config set/replace, password and tag check their body against
        the API's own rules (its OpenAPI document) before sending it: an unknown field, a wrong type, a
        value outside an enum or a limit is an error at the argument that caused it, exit 2, with a
        suggestion where one is close:

          create … postgresversion=18
          error: postgresversion is not a field of this request; did you mean postgresVersion?

        The api command is the escape hatch: it sends what it is given.
        """),
  ]

  /// A topic page of two columns: the name (alone on its line when it is long), then its meaning.
  static func table(title: String, rows: [(String, String)]) -> String {
    var text = title + "\n\n"
    for (name, meaning) in rows {
      text +=
        name.count < 26
        ? "  " + name + String(repeating: " ", count: 28 - name.count) + meaning + "\n"
        : "  " + name + "\n" + String(repeating: " ", count: 30) + meaning + "\n"
    }
    return text
  }
}
