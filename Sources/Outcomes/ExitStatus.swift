/// mpg's documented exit codes, for every layer (the API client too) to name rather than repeat.
public enum ExitStatus {
  /// The run succeeded.
  public static let success: Int32 = 0
  /// A runtime error, including a failed `assert`.
  public static let runtimeError: Int32 = 1
  /// A syntax error, or a command or option used wrongly.
  public static let usageError: Int32 = 2
  /// The user declined a confirmation.
  public static let cancelled: Int32 = 3
  /// API credentials are missing or were refused.
  public static let authentication: Int32 = 4
  /// Interrupted by Ctrl-C.
  public static let interrupted: Int32 = 130
}
