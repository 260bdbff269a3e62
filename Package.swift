// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "mpg",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "mpg", targets: ["MPGShell"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
  ],
  targets: [
    // C shim over libjq 1.6 (Debian's libjq-dev ships no pkg-config file).
    .systemLibrary(
      name: "CJQ",
      providers: [.apt(["libjq-dev"])]
    ),
    // The only importer of CJQ: owns jv references and jq programs.
    .target(name: "JQ", dependencies: ["CJQ"]),
    // Lexer, parser, AST, evaluator and diagnostics of the mpg language. No HTTP, no terminal.
    .target(name: "Interpreter", dependencies: ["JQ"]),
    // One file per command plus the registry.
    .target(name: "Builtins", dependencies: ["Interpreter", "JQ"]),
    // The thin executable: argv, terminal detection, exit codes.
    .executableTarget(
      name: "MPGShell",
      dependencies: [
        "Builtins", "Interpreter", "JQ",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // Runs the built `mpg` executable for tests that check what users see (stdout, stderr, exit code).
    .target(name: "MPGTestSupport", path: "Tests/MPGTestSupport"),
    .testTarget(name: "JQTests", dependencies: ["JQ"]),
    .testTarget(name: "InterpreterTests", dependencies: ["Interpreter", "Builtins", "JQ"]),
    .testTarget(name: "GoldenTests", dependencies: ["MPGShell", "MPGTestSupport"], exclude: ["Scripts"]),
    .testTarget(name: "DifferentialTests", dependencies: ["MPGShell", "MPGTestSupport"], exclude: ["Cases"]),
    .testTarget(name: "RobustnessTests", dependencies: ["Interpreter", "Builtins", "JQ"]),
  ],
  swiftLanguageModes: [.v6]
)
