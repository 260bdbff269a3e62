import Builtins
import Interpreter
import JQ
import LineEditing
import PostgresAPISpec

#if canImport(Glibc)
  import Glibc
#endif

/// Tab at the prompt: command names, the flags of the command being typed, `$` variables and the
/// fields of their current values, service ids and names (from a cache, never a request), values of
/// the spec's enums after `size=`, `provider=`, `postgresVersion=`, `haType=`, pgConfig settings after
/// `config REF set`, file paths for `source`, `load` and `save`, and jq builtins inside expressions.
final class PromptCompleter: LineCompleter {
  let commands: BuiltinRegistry
  let evaluator: Evaluator
  let services: ServiceCache

  init(commands: BuiltinRegistry, evaluator: Evaluator, services: ServiceCache) {
    self.commands = commands
    self.evaluator = evaluator
    self.services = services
  }

  static let keywords = [
    "let", "if", "elif", "else", "for", "parallel", "while", "break", "continue", "try", "catch", "fn", "return", "source",
    "assert", "exit",
  ]
  static let fileCommands: Set<String> = ["source", "load", "save"]

  func completion(for line: String, cursor: Int) -> Completion {
    let statement = CompletionContext.statement(of: String(line.prefix(cursor)))
    let word = Self.currentWord(statement)
    let before = String(statement.dropLast(word.count))
    let words = before.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    let command = words.first == "let" ? (words.count >= 3 && words[2] == "=" ? words.dropFirst(3).first : nil) : words.first
    let argumentIndex = words.first == "let" ? max(0, words.count - 4) : max(0, words.count - 1)

    if word.hasPrefix("$") { return variables(word) }
    if CompletionContext.isInsideExpression(before) { return matching(word, JQNames.builtins) }
    if command == nil || (words.first == "let" && words.count == 3) {
      if words.first == "let" && words.count < 3 { return .none }
      return matching(word, commands.commandNames.sorted() + Self.keywords)
    }
    guard let command else { return .none }
    if word.hasPrefix("-") {
      let options = commands.command(named: command)?.options.map { "--" + $0.name } ?? []
      // Every command prints its result as `-o FORMAT` / `--output FORMAT` says.
      return matching(word, options + ["--output"])
    }
    if let last = words.last, last == "-o" || last == "--output", words.count >= 2 {
      return matching(word, OutputFormat.allCases.map(\.rawValue))
    }
    if let equals = word.firstIndex(of: "=") {
      let key = String(word[..<equals])
      let typed = String(word[word.index(after: equals)...])
      let values = enumValues(for: key)
      let candidates = values.filter { $0.hasPrefix(typed) }.map { key + "=" + $0 }
      return Completion(replacing: word.count, candidates: candidates)
    }
    if command == "config", words.count >= 3, words[2] == "set" {
      return Completion(
        replacing: word.count, candidates: PostgresSpec.settings.map(\.name).filter { $0.hasPrefix(word) }.map { $0 + "=" },
        appendsSpace: false)
    }
    if command == "set" {
      if argumentIndex == 0 { return matching(word, ["editing", "output"]) }
      if words.count >= 2, words[1] == "editing" { return matching(word, ["emacs", "vi"]) }
      if words.count >= 2, words[1] == "output" { return matching(word, OutputFormat.allCases.map(\.rawValue)) }
    }
    if Self.fileCommands.contains(command) { return paths(word) }
    if (commands.command(named: command) as? any APICommand)?.firstArgumentIsService == true, argumentIndex == 0 {
      let known = services.snapshot()
      return matching(word, known.map(\.id) + known.map(\.name))
    }
    if command == "create" || command == "patch" || command == "replica" {
      return Completion(
        replacing: word.count,
        candidates: ["name=", "provider=", "region=", "size=", "postgresVersion=", "haType=", "tags:="].filter {
          $0.hasPrefix(word)
        }, appendsSpace: false)
    }
    return .none
  }

  private func matching(_ word: String, _ candidates: [String]) -> Completion {
    var seen = Set<String>()
    let found = candidates.filter { $0.hasPrefix(word) && seen.insert($0).inserted }
    return Completion(replacing: word.count, candidates: found)
  }

  private func enumValues(for key: String) -> [String] {
    switch key {
    case "size": PostgresSpec.sizes
    case "provider": PostgresSpec.providers
    case "postgresVersion": PostgresSpec.postgresVersions
    case "haType": PostgresSpec.haTypes
    case "region": PostgresSpec.providers.flatMap { PostgresSpec.regions(for: $0) }
    default: []
    }
  }

  /// `$na` → variable names; `$pg.ta` → fields of `$pg`'s value (nested: `$pg.tags[0].ke`).
  private func variables(_ word: String) -> Completion {
    let body = word.dropFirst()
    guard let dot = body.lastIndex(of: ".") else {
      let names = evaluator.globalVariables.keys.sorted().map { "$" + $0 }
      return Completion(replacing: word.count, candidates: names.filter { $0.hasPrefix(word) }, appendsSpace: true)
    }
    let path = String(body[..<dot])
    let typed = String(body[body.index(after: dot)...])
    guard let value = resolve(path) else { return .none }
    let prefix = "$" + path + "."
    let candidates = (value.objectMembers ?? [])
      .filter { $0.key.hasPrefix(typed) && Self.isIdentifier($0.key) }
      .map { prefix + $0.key }
    let single = candidates.count == 1 ? (value.objectMembers?.first { prefix + $0.key == candidates[0] }?.value) : nil
    let container = single.map { $0.kind == .object || $0.kind == .array } ?? false
    return Completion(replacing: word.count, candidates: candidates, appendsSpace: !container)
  }

  /// `pg.tags[0].key` → the value at that path of the variable `pg`.
  private func resolve(_ path: String) -> JSONValue? {
    var parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    guard !parts.isEmpty else { return nil }
    let first = parts.removeFirst()
    var (name, indexes) = Self.splitIndexes(first)
    guard var value = evaluator.value(ofVariable: name) else { return nil }
    for index in indexes {
      guard let elements = value.arrayElements, index < elements.count else { return nil }
      value = elements[index]
    }
    for part in parts {
      (name, indexes) = Self.splitIndexes(part)
      guard let member = value[name] else { return nil }
      value = member
      for index in indexes {
        guard let elements = value.arrayElements, index < elements.count else { return nil }
        value = elements[index]
      }
    }
    return value
  }

  /// `tags[0][1]` → ("tags", [0, 1]).
  static func splitIndexes(_ part: String) -> (String, [Int]) {
    guard let open = part.firstIndex(of: "[") else { return (part, []) }
    let name = String(part[..<open])
    let indexes = part[open...].split(whereSeparator: { $0 == "[" || $0 == "]" }).compactMap { Int($0) }
    return (name, indexes)
  }

  private func paths(_ word: String) -> Completion {
    let directory: String
    let stem: String
    if let slash = word.lastIndex(of: "/") {
      directory = String(word[...slash])
      stem = String(word[word.index(after: slash)...])
    } else {
      directory = ""
      stem = word
    }
    guard let handle = opendir(directory.isEmpty ? "." : directory) else { return .none }
    defer { closedir(handle) }
    var candidates: [String] = []
    while let entry = readdir(handle) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
      guard name != ".", name != "..", name.hasPrefix(stem), !name.hasPrefix(".") || stem.hasPrefix(".") else { continue }
      let isDirectory = entry.pointee.d_type == UInt8(DT_DIR)
      candidates.append(directory + name + (isDirectory ? "/" : ""))
    }
    candidates.sort()
    let appendsSpace = !(candidates.count == 1 && candidates[0].hasSuffix("/"))
    return Completion(replacing: word.count, candidates: candidates, appendsSpace: appendsSpace)
  }

  /// The word before the cursor: after the last space or bracket.
  static func currentWord(_ text: String) -> String {
    String(text.reversed().prefix { !" \t([{,|".contains($0) }.reversed())
  }

  static func isIdentifier(_ key: String) -> Bool {
    guard let first = key.first, first.isLetter || first == "_" else { return false }
    return key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
  }
}
