/// `parallel for NAME in EXPR [--jobs N] [--label (FILTER) | --no-label] { … }`: the body runs once
/// per value, several at a time, each iteration with variables of its own.
struct ParallelLoop {
  /// How many iterations run at once unless `--jobs` says.
  static let defaultJobs = 4
  /// The most `--jobs` may ask for.
  static let maximumJobs = 64

  /// The loop variable, bound in each iteration.
  var name: String
  /// The values to iterate over (every output of the expression).
  var sequence: Expression
  /// `--jobs N`, as written.
  var jobs: (value: ArgumentValue, span: SourceSpan)?
  /// `--label (FILTER)`: run on each value, it names the iteration's lines.
  var label: Expression?
  /// `--no-label`: lines are printed as they are, without `[label] `.
  var unlabelled: Bool
  /// The statements each iteration runs.
  var body: Block
}
