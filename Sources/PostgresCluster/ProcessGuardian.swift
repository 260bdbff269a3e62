import Glibc

/// Makes sure no child of this process (postmasters, initdb, pg_basebackup, psql) outlives it, however
/// it ends, `kill -9` included.
///
/// Every child gets `MPG_GUARDIAN=<token>` in its environment (see `ChildProcess.childEnvironment`). At
/// the first child, this process starts a guardian: a small shell process in a session of its own whose
/// standard input is a pipe only this process can write to. When this process ends, the kernel closes
/// the pipe; the guardian reads end-of-file and signals every process whose environment carries the
/// token: SIGQUIT (a postmaster's immediate shutdown, which takes its backends with it), then SIGKILL for
/// any still there a second later. A clean exit finds nothing to signal.
///
/// Why a guardian and not a parent-death signal: that signal fires when the spawning *thread* ends, and
/// Swift's worker threads come and go (see ../shared/notes/c-interop.md). Why a shell script: the
/// guardian must be an executable that is present wherever this code runs (`mpg`, and the test runner
/// that links the emulator), and its whole job is a loop over /proc; `sh`, `grep` and `kill` are
/// Essential on Debian. Postmasters keep their environment readable in /proc (their backends rewrite
/// theirs into the process title, which is why the postmaster is what gets signalled).
public enum ProcessGuardian {
  /// The environment variable that marks this process's children.
  public static let variable = "MPG_GUARDIAN"

  /// This process's token, starting the guardian on first use. Nil when the guardian could not start
  /// (children still run; they are then only stopped by a clean exit or the next start's leftover sweep).
  public static var token: String? { guardian.token }

  /// The guardian's process id, for tests.
  public static var processID: pid_t? { guardian.processID }

  private static let guardian = Guardian.start()

  /// The running guardian: its token and pid; the write end of its pipe stays open (close-on-exec)
  /// for the life of this process.
  private struct Guardian: Sendable {
    let token: String?
    let processID: pid_t?

    static func start() -> Guardian {
      let token = (0..<4).map { _ in String(UInt32.random(in: 0...UInt32.max), radix: 16) }.joined()
      var ends: [Int32] = [0, 0]
      guard let pipe2 = GNUCalls.pipe2, pipe2(&ends, O_CLOEXEC) == 0 else { return Guardian(token: nil, processID: nil) }
      let (readEnd, writeEnd) = (ends[0], ends[1])
      defer { close(readEnd) }
      var actions = posix_spawn_file_actions_t()
      var attributes = posix_spawnattr_t()
      posix_spawn_file_actions_init(&actions)
      posix_spawnattr_init(&attributes)
      defer {
        posix_spawn_file_actions_destroy(&actions)
        posix_spawnattr_destroy(&attributes)
      }
      // Standard input is the pipe; output goes nowhere; nothing else of ours is inherited.
      posix_spawn_file_actions_adddup2(&actions, readEnd, 0)
      posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
      posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
      _ = GNUCalls.closeFrom?(&actions, 3)
      // A session of its own: Ctrl-C at the terminal or its hang-up must not take the guardian first.
      posix_spawnattr_setflags(&attributes, Int16(GNUCalls.setSessionFlag | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
      var noSignals = sigset_t()
      sigemptyset(&noSignals)
      posix_spawnattr_setsigmask(&attributes, &noSignals)
      var defaults = sigset_t()
      sigemptyset(&defaults)
      for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE] { sigaddset(&defaults, signal) }
      posix_spawnattr_setsigdefault(&attributes, &defaults)
      let arguments: [String] = ["/bin/sh", "-c", script, "mpg-guardian", token]
      let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
      defer { argv.forEach { free($0) } }
      let variables: [String] = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C"]
      let environment: [UnsafeMutablePointer<CChar>?] = variables.map { strdup($0) } + [nil]
      defer { environment.forEach { free($0) } }
      var pid: pid_t = 0
      guard posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, environment) == 0 else {
        close(writeEnd)
        return Guardian(token: nil, processID: nil)
      }
      // The write end is never closed: the kernel closes it when this process ends, which is the signal.
      _ = writeEnd
      return Guardian(token: token, processID: pid)
    }
  }

  /// The guardian: waits for end-of-file, then stops every process marked with the token ($1).
  /// It ignores SIGINT/SIGTERM/SIGHUP so that only the owner's end sets it off.
  static let script = #"""
    trap '' INT TERM HUP
    cd /
    token="$1"
    while read -r _; do :; done
    sweep() {
      hit=1
      for dir in /proc/[0-9]*; do
        pid="${dir#/proc/}"
        [ "$pid" = "$$" ] && continue
        if grep -qzxF "MPG_GUARDIAN=$token" "$dir/environ" 2>/dev/null; then
          kill "-$1" "$pid" 2>/dev/null && hit=0
        fi
      done
      return $hit
    }
    if sweep QUIT; then
      for _ in 1 2 3 4 5 6 7 8 9 10; do sleep 0.1; sweep 0 || exit 0; done
      sweep KILL
    fi
    """#
}

/// glibc calls that Swift's Glibc module does not declare (they sit behind _GNU_SOURCE), looked up at run
/// time; a C target of our own for three declarations is more than this needs.
private enum GNUCalls {
  /// `pipe2(2)`: a pipe whose ends are close-on-exec from the start, so no child spawned meanwhile by
  /// another thread inherits the write end (which would keep the guardian from ever seeing end-of-file).
  static let pipe2: (@convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32)? = symbol("pipe2")

  /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34): the guardian inherits none of our
  /// descriptors (a listening socket it held would keep a dead emulator's port bound).
  static let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? =
    symbol("posix_spawn_file_actions_addclosefrom_np")

  /// `POSIX_SPAWN_SETSID` (glibc's spawn.h).
  static let setSessionFlag: Int32 = 0x80

  private static func symbol<Function>(_ name: String) -> Function? {
    // RTLD_DEFAULT is the null handle in glibc.
    guard let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
    return unsafeBitCast(address, to: Function.self)
  }
}
