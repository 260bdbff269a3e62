/// Which entries may be written to the history file: never one that carries a secret.
struct HistoryPolicy {
  /// Passwords mpg knows (the vault's), which must not be recorded even inside other text.
  var knownSecrets: [String]

  /// Why `entry` is kept out of the history, or `nil` when it may be saved.
  func reasonToSkip(_ entry: String) -> String? {
    if entry.hasPrefix(" ") { return "it starts with a space" }
    if entry.contains("--key-secret") { return "it carries an API key secret" }
    let words = entry.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == ";" }).map(String.init)
    for (index, word) in words.enumerated() where word == "password" {
      // `password REF NEW` sets a password given in the clear.
      let rest = words.dropFirst(index + 1).prefix { !$0.hasPrefix("#") }
      if rest.filter({ !$0.hasPrefix("--") }).count >= 2 { return "it sets a password" }
    }
    if entry.contains("--password") { return "it carries a password" }
    for (index, word) in words.enumerated() where word == "let" && index + 1 < words.count {
      let name = words[index + 1].lowercased()
      if ["secret", "password", "token"].contains(where: name.contains) { return "it assigns a variable named like a secret" }
    }
    for secret in knownSecrets where secret.count >= 6 && entry.contains(secret) { return "it contains a stored password" }
    return nil
  }
}
