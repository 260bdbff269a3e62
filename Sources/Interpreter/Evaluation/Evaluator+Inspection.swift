import JQ

extension Evaluator {
  /// The value of a variable as the next statement would see it.
  public func value(ofVariable name: String) -> JSONValue? {
    lookup(name)
  }
}

/// jq's builtin names, for completion inside expressions.
public enum JQNames {
  /// Every jq 1.6 builtin name, sorted.
  public static var builtins: [String] { JQBuiltinNames.all.sorted() }
}
