import FileIO
import Interpreter
import JQ
import Outcomes

/// A command's request body from its arguments: an object argument, `--from FILE`, and
/// `key=value`/`key:=json` fields, merged in that order (fields win).
enum RequestBody {
  /// The merged body, or `nil` when none of the sources gave anything. `objects` are the positional
  /// arguments that may hold a body object.
  static func build(_ call: CommandCall, objects: [CallValue], context: CommandContext) throws -> JSONValue? {
    var members: [(String, JSONValue)] = []
    var found = false
    if let from = call.options["from"] {
      let path = context.resolvePath(from.text)
      let value: JSONValue
      do {
        value = try JSONValue(parsing: try FileText.readBytes(path))
      } catch let error as FileText.Failure {
        throw RuntimeError(kind: .io, message: error.message, at: from.span)
      } catch let error as JSONParseError {
        throw RuntimeError(kind: .io, message: "\(from.text) is not valid JSON: \(error.message)", at: from.span)
      }
      guard let fileMembers = value.objectMembers else {
        throw RuntimeError(
          kind: .usage, message: "\(from.text) holds \(value.kind.jqName), not an object", at: from.span,
          exitCode: ExitStatus.usageError)
      }
      members += fileMembers.map { ($0.key, $0.value) }
      found = true
    }
    for object in objects {
      guard let objectMembers = object.value.objectMembers else {
        throw RuntimeError(
          kind: .usage, message: "expected an object body, not \(object.value.kind.jqName)", at: object.span,
          exitCode: ExitStatus.usageError)
      }
      members += objectMembers.map { ($0.key, $0.value) }
      found = true
    }
    for field in call.fields {
      members.removeAll { $0.0 == field.key }
      members.append((field.key, field.value.value))
      found = true
    }
    return found ? JSONValue(object: members) : nil
  }
}
