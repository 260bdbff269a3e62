/// Wording of runtime errors raised in several places, kept together so it stays consistent.
enum Messages {
  static func bindCount(name: String, count: Int) -> String {
    let got = count == 0 ? "no value" : "\(count) values"
    return "`let \(name)` needs exactly one value but the pipeline produced \(got)"
      + (count > 1 ? "; wrap it in [ … ] to bind them all as an array" : "")
  }

  static func returnCount(_ count: Int) -> String {
    let got = count == 0 ? "no value" : "\(count) values"
    return "`return` needs exactly one value but got \(got)" + (count > 1 ? "; wrap it in [ … ] to return an array" : "")
  }

  static func singleValue(role: String, count: Int) -> String {
    let got = count == 0 ? "no value" : "\(count) values"
    return "the \(role) must produce exactly one value but produced \(got)" + (count > 1 ? "; use first(…), any(…) or [ … ]" : "")
  }

  /// `the field `name` is null: `$args[0]` has no value`.
  static func nullArgument(role: String, term: String) -> String {
    "the \(role) is null: `\(term)` has no value"
  }

  /// `first argument of `get``: a positional argument by its place, for messages about its value.
  static func positional(_ index: Int, of command: String) -> String {
    let ordinals = ["first", "second", "third", "fourth", "fifth"]
    return (index < ordinals.count ? ordinals[index] + " argument" : "argument \(index + 1)") + " of `\(command)`"
  }

  static func parameterList(_ function: FunctionDefinition) -> String {
    function.parameters.isEmpty ? "it takes none" : function.parameters.joined(separator: " ")
  }

  static func argumentCount(_ function: FunctionDefinition, given: Int) -> String {
    let expected = function.parameters.count
    let noun = expected == 1 ? "argument" : "arguments"
    let names = function.parameters.isEmpty ? "" : " (\(function.parameters.joined(separator: ", ")))"
    return "`\(function.name)` takes \(expected) \(noun)\(names) but was given \(given)"
  }

  static func unknownOption(_ name: String, command: String, options: [CommandOption]) -> String {
    let known = options.map { "--" + $0.name }
    return "`\(command)` has no option `--\(name)`" + (known.isEmpty ? "" : "; it accepts " + known.joined(separator: ", "))
  }
}
