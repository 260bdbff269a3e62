/// What the word under the cursor can be, for the shells' completion scripts. The scripts stay thin
/// (they pass the words typed and show the answer), so bash, zsh and fish complete exactly alike and
/// the logic is tested once, here, against the command-line tree.
struct CompletionEngine {
  /// The answer for one word.
  struct Answer: Equatable {
    /// Words that fit, already filtered by what was typed.
    var words: [String] = []
    /// Whether the shell should also offer files (with these extensions when any) or directories.
    var files: FileKind = .none
    /// Services of the API at hand, to be looked up (bounded in time) by the caller.
    var wantsServices = false

    enum FileKind: Equatable {
      case none, directories
      case files(extensions: [String])
    }
  }

  let model: CommandLineModel

  /// The answer for the last of `words` (the words after `mpg`; the last one is being typed, maybe empty).
  func complete(_ words: [String]) -> Answer {
    let typed = words.last ?? ""
    let before = words.dropLast()
    var node = model.root
    var positionalsSeen = 0
    var inScriptArguments = false
    var index = before.startIndex
    while index < before.endIndex {
      let word = before[index]
      index += 1
      if inScriptArguments { continue }
      if word == "--" {
        inScriptArguments = node.path.isEmpty
        continue
      }
      if word.hasPrefix("-"), word != "-" {
        guard let option = node.options.first(where: { $0.names.contains(word) }), let valueName = option.valueName else {
          continue
        }
        // `--arg NAME VALUE` takes two words; one of them may be the word being typed.
        let valueWords = valueName.split(separator: " ").count
        let wordsLeft = before.endIndex - index
        if wordsLeft < valueWords {
          // Only an option's first value has known candidates (`--arg NAME` has none).
          return wordsLeft == 0 ? answer(for: option.values, typed: typed) : Answer()
        }
        index += valueWords
        continue
      }
      // Subcommands come first: `mpg emulator`, but `mpg --local emulator` is a script named emulator.
      if positionalsSeen == 0, let next = node.subcommands.first(where: { $0.path.last == word }),
        !node.path.isEmpty || index - 1 == before.startIndex
      {
        node = next
        continue
      }
      if node.path.isEmpty { inScriptArguments = true }
      positionalsSeen += 1
    }
    if typed.hasPrefix("-"), !inScriptArguments {
      return Answer(words: node.options.flatMap(\.names).filter { $0.hasPrefix(typed) })
    }
    if inScriptArguments {
      var answer = Answer(files: .files(extensions: []))
      answer.wantsServices = true
      return answer
    }
    // `-c CODE` and a script do not go together.
    if node.path.isEmpty, before.contains("-c") { return Answer() }
    var answer = Answer()
    if positionalsSeen == 0, node.path.isEmpty ? before.isEmpty : true {
      answer.words = node.subcommands.compactMap(\.path.last).filter { $0.hasPrefix(typed) }
    }
    if let positional = node.positionals.indices.contains(positionalsSeen)
      ? node.positionals[positionalsSeen] : node.positionals.last.flatMap({ $0.isRepeating ? $0 : nil })
    {
      let values = self.answer(for: positional.values, typed: typed)
      answer.words += values.words
      answer.files = values.files
      answer.wantsServices = values.wantsServices
    }
    return answer
  }

  /// The answer a declared kind of value gives.
  private func answer(for values: CommandLineModel.ValueCompletion?, typed: String) -> Answer {
    switch values {
    case .words(let words): return Answer(words: words.filter { $0.hasPrefix(typed) })
    case .files(let extensions): return Answer(files: .files(extensions: extensions))
    case .directories: return Answer(files: .directories)
    case .dynamic(let kind):
      if kind == CompletionValues.services { return Answer(wantsServices: true) }
      return Answer(words: CompletionValues.words(kind).filter { $0.hasPrefix(typed) })
    case nil: return Answer()
    }
  }
}
