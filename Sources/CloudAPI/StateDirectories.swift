import FileIO
import Outcomes

#if canImport(Glibc)
  import Glibc
#endif

/// The XDG base directories mpg uses, with the specification's fallbacks under `$HOME`.
public enum StateDirectories {
  /// `$XDG_STATE_HOME/mpg` (history, the credential vault).
  public static func state(environment: [String: String] = ProcessEnvironment.current) -> String {
    base("XDG_STATE_HOME", fallback: ".local/state", environment) + "/mpg"
  }

  /// `$XDG_CONFIG_HOME/mpg` (profiles).
  public static func config(environment: [String: String] = ProcessEnvironment.current) -> String {
    base("XDG_CONFIG_HOME", fallback: ".config", environment) + "/mpg"
  }

  /// `$XDG_DATA_HOME/mpg` (the local emulator's data).
  public static func data(environment: [String: String] = ProcessEnvironment.current) -> String {
    base("XDG_DATA_HOME", fallback: ".local/share", environment) + "/mpg"
  }

  private static func base(_ variable: String, fallback: String, _ environment: [String: String]) -> String {
    if let value = environment[variable], value.hasPrefix("/") { return value }
    let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    return home + "/" + fallback
  }

  /// Creates `path` and its parents, private to the user (0700).
  public static func create(_ path: String) throws(SetupFailure) {
    var current = path.hasPrefix("/") ? "" : "."
    for component in path.split(separator: "/") {
      current += "/" + component
      if mkdir(current, 0o700) != 0, errno != EEXIST {
        throw SetupFailure("cannot create \(current): \(String(cString: strerror(errno)))")
      }
    }
  }
}
