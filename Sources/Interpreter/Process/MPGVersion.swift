/// mpg's version, shown by `--version` and sent in the API client's User-Agent.
public enum MPGVersion {
  /// The release number.
  public static let current = "0.1.0"
}
