/// Quoting of SQL identifiers and literals for the statements `Cluster` builds.
///
/// Literals use standard strings (`standard_conforming_strings` is on in every supported major), so only
/// the single quote is doubled; NUL cannot be sent to PostgreSQL at all and is rejected.
enum SQLQuoting {
  /// `"name"`, with embedded double quotes doubled.
  static func identifier(_ name: String) throws(ClusterError) -> String {
    guard !name.isEmpty, !name.unicodeScalars.contains("\0") else { throw .invalidValue("empty identifier or NUL in identifier") }
    return "\"" + name.replacingAll("\"", with: "\"\"") + "\""
  }

  /// `'text'`, with embedded single quotes doubled.
  static func literal(_ text: String) throws(ClusterError) -> String {
    guard !text.unicodeScalars.contains("\0") else { throw .invalidValue("NUL character in a SQL string") }
    return "'" + text.replacingAll("'", with: "''") + "'"
  }

  /// A configuration parameter name as ALTER SYSTEM takes it: dot-separated parts (`work_mem`,
  /// `pg_stat_statements.max`), each quoted as an identifier. Nil when `name` is not shaped like one.
  static func parameterName(_ name: String) -> String? {
    let parts = name.split(separator: ".", omittingEmptySubsequences: false)
    guard !parts.isEmpty, parts.count <= 2 else { return nil }
    for part in parts {
      guard let first = part.first, first.isASCII, first.isLetter || first == "_",
        part.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
      else { return nil }
    }
    return parts.map { "\"" + $0.lowercased() + "\"" }.joined(separator: ".")
  }
}

extension String {
  /// Every occurrence of the scalar `target` replaced. Works on Unicode scalars, not Characters: a quote
  /// followed by a combining mark is one Character but still a quote byte to PostgreSQL.
  func replacingAll(_ target: Unicode.Scalar, with replacement: String) -> String {
    var result = String.UnicodeScalarView()
    for scalar in unicodeScalars {
      if scalar == target { result.append(contentsOf: replacement.unicodeScalars) } else { result.append(scalar) }
    }
    return String(result)
  }
}
