import Suggestions

/// jq's `lst/0 is not defined` read as what it usually is, a misspelt command or function:
/// `unknown command or function `lst`; did you mean `list`?`, with the caret under the name.
enum UnknownName {
  /// `diagnostic` reworded when it is jq's "not defined" for a name that is neither a command, an `fn`
  /// nor a jq builtin of any arity (`select/0` keeps jq's words: the arity is what is wrong there).
  static func explain(_ diagnostic: Diagnostic, commands: Set<String>) -> Diagnostic {
    guard let name = undefinedName(in: diagnostic.message), !commands.contains(name), !JQBuiltinNames.all.contains(name),
      let span = diagnostic.span
    else { return diagnostic }
    let nameSpan = self.span(of: name, in: span) ?? span
    // A command can only start a statement, and there one is the likelier meaning (`lst` is `list`,
    // not jq's `last`); further in, only jq's functions fit.
    let startsStatement = nameSpan.offset == span.offset
    let commandSuggestion = startsStatement ? Suggestion.closest(to: name, among: commands.sorted()) : nil
    var message = "unknown command or function `\(name)`"
    if let suggestion = commandSuggestion ?? Suggestion.closest(to: name, among: JQBuiltinNames.all.sorted()) {
      message += "; did you mean `\(suggestion)`?"
    }
    return Diagnostic(message, at: nameSpan, notes: diagnostic.notes)
  }

  /// `lst` of `lst/0 is not defined`.
  static func undefinedName(in message: String) -> String? {
    guard message.hasSuffix(" is not defined"), let slash = message.lastIndex(of: "/") else { return nil }
    let name = message[..<slash]
    guard !name.isEmpty,
      name.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == ":" })
    else { return nil }
    return String(name)
  }

  /// The first place `name` stands as a whole word (not `$name`, `.name` or part of a longer word) in `span`.
  static func span(of name: String, in span: SourceSpan) -> SourceSpan? {
    let bytes = span.file.bytes
    let target = Array(name.utf8)
    let end = span.offset + span.length
    var offset = span.offset
    func isWord(_ byte: UInt8) -> Bool { byte.isIdentifierPart }
    while offset + target.count <= end {
      if bytes[offset..<offset + target.count].elementsEqual(target),
        offset == 0 || !(isWord(bytes[offset - 1]) || bytes[offset - 1] == 0x24 || bytes[offset - 1] == 0x2E),
        offset + target.count == bytes.count || !isWord(bytes[offset + target.count])
      {
        return SourceSpan(file: span.file, offset: offset, length: target.count)
      }
      offset += 1
    }
    return nil
  }
}
