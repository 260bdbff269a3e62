import JQ

/// One IPv4 access rule of a service (`ipAccessList`, an addition after the spec file was cut; see
/// `postgres-additions.json`): which addresses may reach which of the service's ports.
public struct IPAccessRule: Sendable, Equatable {
  /// The rule's id, which `ipAccessList.remove` names.
  public var id: String
  /// An IPv4 address or CIDR block, e.g. `203.0.113.0/24`.
  public var source: String
  /// `5432` (PostgreSQL), `6432` (PgBouncer) or an inclusive range such as `5432..6432`.
  public var portRange: String
  /// A note for people.
  public var description: String

  /// A rule with every field given.
  public init(id: String, source: String, portRange: String, description: String) {
    self.id = id
    self.source = source
    self.portRange = portRange
    self.description = description
  }

  /// What a service created without `ipAccessList` gets: any address, on both ports.
  public static func openToAll(id: String) -> IPAccessRule {
    IPAccessRule(id: id, source: "0.0.0.0/0", portRange: "5432..6432", description: "Any address (the default)")
  }

  /// `{"id", "source", "portRange", "description"}`.
  public var json: JSONValue {
    JSONValue(object: [
      ("id", JSONValue(id)), ("source", JSONValue(source)), ("portRange", JSONValue(portRange)),
      ("description", JSONValue(description)),
    ])
  }

  /// A rule read back from `json`.
  public init?(json: JSONValue) {
    guard let id = json["id"]?.stringValue, let source = json["source"]?.stringValue else { return nil }
    self.init(
      id: id, source: source, portRange: json["portRange"]?.stringValue ?? "5432",
      description: json["description"]?.stringValue ?? "")
  }

  /// Whether the rule lets clients reach `port`.
  public func covers(port: Int) -> Bool {
    guard let range = Self.ports(portRange) else { return false }
    return range.contains(port)
  }

  /// `"5432"` → 5432...5432, `"5432..6432"` → 5432...6432; `nil` for anything else.
  static func ports(_ text: String) -> ClosedRange<Int>? {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    let bounds: [Int?]
    switch parts.count {
    case 1: bounds = [Int(parts[0]), Int(parts[0])]
    case 3 where parts[1].isEmpty: bounds = [Int(parts[0]), Int(parts[2])]
    default: return nil
    }
    guard let low = bounds[0], let high = bounds[1], (1...65535).contains(low), (1...65535).contains(high), low <= high else {
      return nil
    }
    return low...high
  }

  /// Whether `text` is an IPv4 address (`198.51.100.7`) or CIDR block (`203.0.113.0/24`).
  static func isIPv4Source(_ text: String) -> Bool {
    let pieces = text.split(separator: "/", omittingEmptySubsequences: false)
    guard pieces.count <= 2 else { return false }
    if pieces.count == 2 {
      guard pieces[1].allSatisfy(\.isASCII), let bits = Int(pieces[1]), (0...32).contains(bits), !pieces[1].hasPrefix("+") else {
        return false
      }
    }
    let octets = pieces[0].split(separator: ".", omittingEmptySubsequences: false)
    return octets.count == 4
      && octets.allSatisfy { octet in
        !octet.isEmpty && octet.count <= 3 && octet.allSatisfy { $0.isASCII && $0.isNumber }
          && Int(octet).map { $0 <= 255 } == true
      }
  }
}

/// A new rule as sent in `ipAccessList` (create) or `ipAccessList.add` (PATCH): no id yet.
public struct IPAccessRuleRequest: Sendable, Equatable {
  /// An IPv4 address or CIDR block.
  public var source: String
  /// A port or inclusive range; `5432` when left out.
  public var portRange: String
  /// A note; `""` when left out.
  public var description: String
}

/// `ipAccessList` in a PATCH body: rules to remove (by id), applied before the rules to add.
public struct IPAccessListPatch: Sendable, Equatable {
  /// Ids of rules to remove.
  public var remove: [String]
  /// Rules to add.
  public var add: [IPAccessRuleRequest]
}

extension RequestValidator {
  /// `ipAccessList` on create: an array of new rules (`[]`: no address may connect).
  static func ipAccessRules(_ value: JSONValue, field: String) throws(ValidationFailure) -> [IPAccessRuleRequest] {
    guard let items = value.arrayElements else { throw .wrongType(field, expected: "an array", actual: value) }
    var rules: [IPAccessRuleRequest] = []
    for (index, item) in items.enumerated() {
      rules.append(try ipAccessRule(item, field: "\(field)[\(index)]"))
    }
    return rules
  }

  /// `ipAccessList` on PATCH: `{"add": [rules], "remove": [{"id": …}]}`, both optional.
  static func ipAccessListPatch(_ value: JSONValue, field: String) throws(ValidationFailure) -> IPAccessListPatch {
    guard value.kind == .object else { throw .wrongType(field, expected: "an object", actual: value) }
    let add = try value["add"].map { (add) throws(ValidationFailure) in try ipAccessRules(add, field: "\(field).add") } ?? []
    var remove: [String] = []
    if let removals = value["remove"] {
      guard let items = removals.arrayElements else {
        throw .wrongType("\(field).remove", expected: "an array", actual: removals)
      }
      for (index, item) in items.enumerated() {
        let path = "\(field).remove[\(index)]"
        guard item.kind == .object else { throw .wrongType(path, expected: "an object", actual: item) }
        guard let id = item["id"] else { throw .required("\(path).id") }
        remove.append(try string(id, field: "\(path).id"))
      }
    }
    return IPAccessListPatch(remove: remove, add: add)
  }

  private static func ipAccessRule(_ item: JSONValue, field: String) throws(ValidationFailure) -> IPAccessRuleRequest {
    guard item.kind == .object else { throw .wrongType(field, expected: "an object", actual: item) }
    guard let sourceValue = item["source"] else { throw .required("\(field).source") }
    let source = try string(sourceValue, field: "\(field).source")
    guard IPAccessRule.isIPv4Source(source) else {
      throw ValidationFailure(
        field: "\(field).source",
        problem: "\(ValidationFailure.quoted(source)) is not an IPv4 address or CIDR block such as 203.0.113.0/24")
    }
    let portRange =
      try item["portRange"].map { (value) throws(ValidationFailure) in try string(value, field: "\(field).portRange") } ?? "5432"
    guard IPAccessRule.ports(portRange) != nil else {
      throw ValidationFailure(
        field: "\(field).portRange",
        problem: "\(ValidationFailure.quoted(portRange)) is not a port or range such as 5432, 6432 or 5432..6432")
    }
    let description =
      try item["description"].map { (value) throws(ValidationFailure) in try string(value, field: "\(field).description") } ?? ""
    return IPAccessRuleRequest(source: source, portRange: portRange, description: description)
  }
}
