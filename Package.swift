// swift-tools-version: 6.2
import PackageDescription

let package = Package(
  name: "mpg",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "mpg", targets: ["MPGShell"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2", traits: []),
    .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
    .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
    .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    // Subprocess's file descriptors and errors are swift-system's types; imported where they are used.
    .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
  ],
  targets: [
    // C shim over libjq 1.6 (Debian's libjq-dev ships no pkg-config file).
    .systemLibrary(
      name: "CJQ",
      providers: [.apt(["libjq-dev"])]
    ),
    // The only importer of CJQ: owns jv references and jq programs.
    .target(name: "JQ", dependencies: ["CJQ"]),
    // Files and directories on the C library (whole-file reads, atomic writes, directory trees), for
    // the interpreter, the clusters and the emulator alike.
    .target(name: "FileIO"),
    // Async code run on a NIO event loop (the HTTP client's and the emulator's server's).
    .target(name: "EventLoopExecution", dependencies: [.product(name: "NIOCore", package: "swift-nio")]),
    // "Did you mean …?": the nearest of a known set of names, for every layer's messages.
    .target(name: "Suggestions"),
    // Lexer, parser, AST, evaluator and diagnostics of the mpg language. No HTTP, no terminal.
    // What every layer names when a run fails: the kinds of error (`$e.kind`) and the exit statuses.
    .target(name: "Outcomes"),
    .target(name: "Interpreter", dependencies: ["JQ", "FileIO", "Suggestions", "Outcomes"]),
    // Real PostgreSQL clusters for the emulator: installations, an unprivileged user under root,
    // template data directories, start/stop/restart, TLS files, admin SQL through psql.
    .target(
      name: "PostgresCluster",
      dependencies: [
        "FileIO",
        .product(name: "Subprocess", package: "swift-subprocess"),
        .product(name: "SystemPackage", package: "swift-system"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    // The API's rules from its OpenAPI document, and request validation (emulator and client).
    .target(name: "PostgresAPISpec", dependencies: ["JQ", "Suggestions"]),
    // The local twin of the Managed Postgres API (Hummingbird 2), every service a real cluster.
    .target(
      name: "Emulator",
      dependencies: [
        "JQ", "FileIO", "PostgresCluster", "PostgresAPISpec", "EventLoopExecution",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
        .product(name: "X509", package: "swift-certificates"),
        .product(name: "SwiftASN1", package: "swift-asn1"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
      ]
    ),
    // The Cloud API over HTTP (async-http-client), credentials from flags, environment, .env and
    // profiles, and the credential vault. No terminal, no interpreter.
    .target(
      name: "CloudAPI",
      dependencies: [
        "JQ", "FileIO", "EventLoopExecution", "Outcomes",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "X509", package: "swift-certificates"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "TOMLKit", package: "TOMLKit"),
      ]
    ),
    // One file per command plus the registry.
    .target(
      name: "Builtins",
      dependencies: [
        "Interpreter", "JQ", "FileIO", "CloudAPI", "PostgresAPISpec", "Suggestions", "Outcomes",
        .product(name: "Subprocess", package: "swift-subprocess"),
        .product(name: "SystemPackage", package: "swift-system"),
      ]
    ),
    // libedit (line editing, history, Tab completion) behind non-variadic wrappers.
    .systemLibrary(name: "CEditLine", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
    // The only importer of CEditLine: a line editor with history and a completion callback.
    .target(name: "LineEditing", dependencies: ["CEditLine"]),
    // The thin executable: argv, terminal detection, exit codes.
    .executableTarget(
      name: "MPGShell",
      dependencies: [
        "Builtins", "Interpreter", "JQ", "FileIO", "Emulator", "CloudAPI", "PostgresAPISpec", "LineEditing", "Suggestions",
        "Outcomes",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      // `--static-swift-stdlib` links with `-export-dynamic`, which put ~47,000 Swift symbols in the
      // dynamic symbol table; nothing looks them up (mpg loads no plugins), yet the runtime's start-up
      // `dladdr` scans them all and their pages are read on every start: about 1 ms of each run.
      linkerSettings: [.unsafeFlags(["-Xlinker", "--no-export-dynamic"])]
    ),
    // Runs the built `mpg` executable for tests that check what users see (stdout, stderr, exit code).
    .target(name: "MPGTestSupport", path: "Tests/MPGTestSupport"),
    .testTarget(name: "JQTests", dependencies: ["JQ"]),
    .testTarget(name: "InterpreterTests", dependencies: ["Interpreter", "Builtins", "JQ", "FileIO", "Outcomes"]),
    .testTarget(name: "GoldenTests", dependencies: ["MPGShell", "MPGTestSupport"], exclude: ["Scripts"]),
    .testTarget(name: "DifferentialTests", dependencies: ["MPGShell", "MPGTestSupport"], exclude: ["Cases"]),
    .testTarget(name: "RobustnessTests", dependencies: ["Interpreter", "Builtins", "JQ", "Outcomes"]),
    .testTarget(
      name: "PostgresClusterTests",
      dependencies: ["PostgresCluster", "FileIO", .product(name: "Logging", package: "swift-log")]),
    .testTarget(
      name: "InteractiveTests", dependencies: ["MPGShell", "MPGTestSupport"],
      exclude: ["prompt_session.py", "teaching_session.py", "fleet_session.py", "session_environment.py"]),
    .testTarget(name: "CloudAPITests", dependencies: ["CloudAPI", "Builtins", "JQ"]),
    .testTarget(
      name: "CommandTests",
      dependencies: [
        "Emulator", "MPGShell", "MPGTestSupport", "Outcomes", "Builtins", "Interpreter", "JQ",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .testTarget(
      name: "EmulatorTests",
      dependencies: [
        "Emulator", "PostgresAPISpec", "PostgresCluster", "Suggestions", "JQ", "MPGShell", "MPGTestSupport",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "X509", package: "swift-certificates"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ]
    ),
  ],
  swiftLanguageModes: [.v6]
)
