import Builtins
import Interpreter
import JQ

/// An output that masks secrets unless `--show-secrets`: in printed values, by key (passwords, key
/// secrets, the password in a connection string), and everywhere — values, text, errors — every secret
/// the session has seen (`SecretRegistry`), wherever it turns up.
final class SecretMaskingOutput: OutputSink {
  private let base: any OutputSink
  private let secrets: SecretRegistry

  init(wrapping base: any OutputSink, secrets: SecretRegistry) {
    self.base = base
    self.secrets = secrets
  }

  func write(_ text: String) { base.write(secrets.masking(text)) }
  func write(_ value: JSONValue, options: PrintOptions) {
    base.write(SecretMasking.masked(value, registry: secrets), options: options)
  }
  func writeError(_ text: String) { base.writeError(secrets.masking(text)) }
  func flush() { base.flush() }
  func rendered(_ value: JSONValue, options: PrintOptions, format: OutputFormat?) -> String {
    base.rendered(SecretMasking.masked(value, registry: secrets), options: options, format: format)
  }
}
