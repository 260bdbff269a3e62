import Builtins
import Interpreter
import JQ

/// An output that masks secrets in printed values (passwords, key secrets, the password in a
/// connection string) unless `--show-secrets`; text written directly passes unchanged.
final class SecretMaskingOutput: OutputSink {
  private let base: any OutputSink

  init(wrapping base: any OutputSink) {
    self.base = base
  }

  func write(_ text: String) { base.write(text) }
  func write(_ value: JSONValue, options: PrintOptions) { base.write(SecretMasking.masked(value), options: options) }
  func writeError(_ text: String) { base.writeError(text) }
  func flush() { base.flush() }
}
