import Builtins
import CloudAPI
import Emulator
import FileIO
import Outcomes

#if canImport(Glibc)
  import Glibc
#endif

/// The throwaway local twin that answers a `--dry-run`: every request is printed as the curl command
/// a real run would send, then answered by this twin, so created services, states and SQL rows are
/// real and a runbook's asserts and branches run. It lives in `/tmp/mpg-dry-run-PID-…` (0700) with its
/// own vault, and is removed when the run ends (after `kill -9`, by the next emulator start's gc).
final class DryRunTwin: Sendable {
  /// The twin's directory.
  let directory: String
  /// The twin, started on first use.
  let target: LocalTarget

  private init(directory: String) {
    self.directory = directory
    target = LocalTarget(dataDirectory: directory + "/twin")
  }

  /// A new twin in a fresh private directory.
  static func make() throws -> DryRunTwin {
    var template = Array("/tmp/mpg-dry-run-\(getpid())-XXXXXX".utf8CString)
    guard let made = mkdtemp(&template) else {
      throw SetupFailure("cannot make a directory for the dry run's twin: \(String(cString: strerror(errno)))")
    }
    return DryRunTwin(directory: String(cString: made))
  }

  /// The vault of the twin's passwords (never the user's).
  var vault: CredentialVault { CredentialVault(path: directory + "/vault.json") }

  /// Stops the twin and removes everything it made.
  func remove() async {
    await target.stop()
    try? await LocalEmulator.reset(dataDirectory: directory + "/twin")
    // What is left: the vault (reset removed the twin's data directory).
    unlink(directory + "/vault.json")
    rmdir(directory + "/twin")
    rmdir(directory)
  }
}
