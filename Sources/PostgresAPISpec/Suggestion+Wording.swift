import Suggestions

extension Suggestion {
  /// ` did you mean X?` text to append to a message, or `nil` when nothing is close.
  public static func didYouMean(_ input: String, among candidates: some Sequence<String>) -> String? {
    closest(to: input, among: candidates).map { "did you mean \(ValidationFailure.listed($0))?" }
  }

}
