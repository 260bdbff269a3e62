import Interpreter
import Outcomes

/// What mpg reads from and leaves in its surroundings: environment variables, files and exit statuses.
/// `help environment`, `help files`, `help exit-codes` and the manual page mpg(1) are all printed from
/// these tables, and a test checks them against the variables the sources read.
public enum ProcessReference {
  /// One environment variable mpg reads.
  public struct Variable: Sendable {
    /// The variable's name.
    public let name: String
    /// What it changes, in one line.
    public let meaning: String
  }

  /// One file or directory mpg writes.
  public struct WrittenFile: Sendable {
    /// The path, with the variables it depends on left in (`$XDG_STATE_HOME/mpg/history`).
    public let path: String
    /// Its permission bits as `ls` would name them in octal (`0600`).
    public let mode: String
    /// What is in it.
    public let meaning: String
  }

  /// One exit status and when mpg ends with it.
  public struct Status: Sendable {
    /// The number the shell sees.
    public let code: Int32
    /// When mpg exits with it.
    public let meaning: String
  }

  /// Every environment variable mpg reads, in the order a user meets them.
  public static let variables: [Variable] = [
    Variable(
      name: "CLICKHOUSE_CLOUD_API_KEY", meaning: "The API key id (also read from ./.env); goes with CLICKHOUSE_CLOUD_API_SECRET."),
    Variable(name: "CLICKHOUSE_CLOUD_API_SECRET", meaning: "The API key secret (also read from ./.env)."),
    Variable(
      name: "CLICKHOUSE_CLOUD_ORG_ID", meaning: "The organization to work in (else the profile's, or the key's only one)."),
    Variable(name: "CLICKHOUSE_CLOUD_API_URL", meaning: "The API's base URL (default https://api.clickhouse.cloud)."),
    Variable(name: "MPG_PROFILE", meaning: "The saved profile to use when --profile is not given (mpg profile)."),
    Variable(name: "MPG_READ_ONLY", meaning: "1, true, yes or on: send only GET requests, as --read-only does."),
    Variable(
      name: "MPG_MEMORY_LIMIT",
      meaning: "The most memory a run may use, such as 2G or 512M, or off (default half the RAM, at most 4G)."),
    Variable(name: "MPG_PSQL", meaning: "The psql program that connect and sql run (default: psql on PATH)."),
    Variable(
      name: "MPG_PG_SEARCH_PATH",
      meaning: "More directories (colon-separated) where the emulator looks for PostgreSQL installations."),
    Variable(
      name: "MPG_GUARDIAN",
      meaning: "Set by the emulator on the processes it starts, so that they are stopped when mpg ends; not for users."),
    Variable(name: "PGSSLMODE", meaning: "The sslmode that connection strings printed by mpg name (default require)."),
    Variable(name: "HTTPS_PROXY", meaning: "A proxy for https requests to the API (also https_proxy)."),
    Variable(
      name: "HTTP_PROXY", meaning: "A proxy for plain http requests, as to an emulator on another host (also http_proxy)."),
    Variable(name: "NO_PROXY", meaning: "Hosts and domains (comma-separated, or *) reached without the proxy."),
    Variable(name: "PAGER", meaning: "The pager for long results at the prompt (default less -FRX)."),
    Variable(name: "NO_COLOR", meaning: "When set and not empty, no colour even on a terminal."),
    Variable(name: "PATH", meaning: "Where psql is looked for."),
    Variable(name: "TMPDIR", meaning: "Where stale private folders of older versions are cleaned up (default /tmp)."),
    Variable(name: "HOME", meaning: "The base of the XDG directories below when they are unset."),
    Variable(name: "XDG_CONFIG_HOME", meaning: "Profiles live in $XDG_CONFIG_HOME/mpg/config.toml (default ~/.config)."),
    Variable(
      name: "XDG_STATE_HOME", meaning: "History and the password vault live in $XDG_STATE_HOME/mpg/ (default ~/.local/state)."),
    Variable(
      name: "XDG_DATA_HOME",
      meaning: "The emulator's data and installed PostgreSQL live in $XDG_DATA_HOME/mpg/ (default ~/.local/share)."),
    Variable(
      name: "XDG_CACHE_HOME",
      meaning:
        "Cluster templates shared by the emulator's data directories live in $XDG_CACHE_HOME/mpg/templates (default ~/.cache; as root /var/lib/mpg/templates)."
    ),
  ]

  /// Every file and directory mpg writes, with the mode it gives them.
  public static let files: [WrittenFile] = [
    WrittenFile(
      path: "$XDG_CONFIG_HOME/mpg/config.toml", mode: "0600",
      meaning: "Saved profiles: API keys, organization, endpoint (mpg profile)."),
    WrittenFile(path: "$XDG_STATE_HOME/mpg/", mode: "0700", meaning: "mpg's state directory."),
    WrittenFile(
      path: "$XDG_STATE_HOME/mpg/history", mode: "0600",
      meaning: "The prompt's history, shared by sessions; entries holding a secret are never kept."),
    WrittenFile(
      path: "$XDG_STATE_HOME/mpg/vault.json", mode: "0600",
      meaning: "Service passwords and connection strings captured from create and password answers."),
    WrittenFile(
      path: "$XDG_DATA_HOME/mpg/emulator/", mode: "0700",
      meaning: "The local emulator's data directory: state, CA, clusters (--data-dir)."),
    WrittenFile(
      path: "$XDG_DATA_HOME/mpg/emulator/server.json", mode: "0600",
      meaning: "Address, key and pid of the emulator serving this directory, for other sessions."),
    WrittenFile(
      path: "$XDG_DATA_HOME/mpg/emulator/owner.lock", mode: "0600",
      meaning: "Locked by the one process that owns the data directory."),
    WrittenFile(
      path: "$XDG_DATA_HOME/mpg/emulator/sessions/PID.lock", mode: "0600",
      meaning: "Locked by each session attached to a running emulator."),
    WrittenFile(
      path: "$XDG_DATA_HOME/mpg/postgresql/MAJOR/", mode: "0755",
      meaning: "PostgreSQL installed by mpg emulator postgres install."),
    WrittenFile(
      path: "$XDG_CACHE_HOME/mpg/templates/", mode: "0755",
      meaning: "Initialised clusters that new twins copy instead of running initdb (the 6 last used; safe to delete)."),
    WrittenFile(
      path: "/var/lib/mpg/", mode: "0755",
      meaning: "As root only: cluster directories the unprivileged cluster user can reach (mpg emulator gc), and templates/."),
    WrittenFile(
      path: "FILE of record, save", mode: "0644", meaning: "Written whole or not at all (a temporary file renamed into place)."),
  ]

  /// Every exit status, lowest first.
  public static let statuses: [Status] = [
    Status(code: ExitStatus.success, meaning: "Success."),
    Status(code: ExitStatus.runtimeError, meaning: "A runtime error: an API error, a failed assert, a command that failed."),
    Status(
      code: ExitStatus.usageError,
      meaning:
        "A syntax or usage error: a bad option, a body the API would refuse, a missing --yes, a change refused in read-only mode; nothing was sent."
    ),
    Status(code: ExitStatus.cancelled, meaning: "Cancelled: a question was answered no."),
    Status(code: ExitStatus.authentication, meaning: "API credentials are missing or were refused."),
    Status(code: ExitStatus.interrupted, meaning: "Interrupted by Ctrl-C."),
  ]
}
