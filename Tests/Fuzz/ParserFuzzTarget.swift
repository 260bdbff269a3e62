// libFuzzer entry point for mpg's lexer and parser, built by `scripts/fuzz` together with the
// Interpreter sources (as one module, so internal types such as `Parser` are in reach). It is not a
// SwiftPM target: it needs `-sanitize=fuzzer`, which `swift test` must not.

/// Builtin command names as the registry declares them, plus `fn` names the seeds call, so
/// command arguments get exercised (the Builtins module is not compiled into the fuzzer).
private let commandNames: Set<String> = ["echo", "load", "save", "sleep", "double", "greet", "show", "fact"]
private let builtins: Set<String> = ["echo", "load", "save", "sleep"]

/// Parses one input; traps (which libFuzzer reports as a crash) when a rejection is not located.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
  // mpg decodes files this way, so invalid UTF-8 reaches the lexer as U+FFFD.
  let text = String(decoding: bytes, as: UTF8.self)
  let file = SourceFile(name: "fuzz.mpg", text: text)
  var parser = Parser(file: file, commandNames: commandNames, builtins: builtins)
  parser.parseAll()
  let renderer = DiagnosticRenderer(color: false)
  for diagnostic in parser.diagnostics {
    guard let span = diagnostic.span, !diagnostic.message.isEmpty else {
      fatalError("unlocated or empty diagnostic: \(diagnostic.message)")
    }
    guard span.file === file, span.offset >= 0, span.length >= 0, span.offset + span.length <= file.bytes.count else {
      fatalError("diagnostic `\(diagnostic.message)` has span \(span.offset)+\(span.length) in \(file.bytes.count) bytes")
    }
    guard renderer.render(diagnostic).hasPrefix("fuzz.mpg:\(span.line):\(span.column): error: ") else {
      fatalError("diagnostic `\(diagnostic.message)` renders without its location")
    }
  }
  for expression in parser.expressions {
    // Native trees are evaluated (and freed) recursively: deep ones must have been left to jq.
    _ = expression.native?.evaluate(input: .null, variables: { _ in .null })
  }
  _ = InputCompleteness.isComplete(text)
  return 0
}
