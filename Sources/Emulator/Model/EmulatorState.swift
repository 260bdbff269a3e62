import FileIO
import JQ

/// Everything the emulator knows — organization, key, services — kept in one actor and written to
/// `state.json` in the data directory (atomically, mode 0600: it holds the key secret and passwords)
/// after every change, so a restarted emulator carries on where it stopped.
actor EmulatorState {
  let organization: Organization
  let key: APIKey
  private(set) var services: [ServiceRecord] = []
  /// Ids of deleted services: a GET on one answers 404 rather than "invalid id".
  private(set) var deletedIDs: Set<String> = []
  /// Addresses chosen for creates that have not inserted their service yet.
  private var reservedAddresses: Set<String> = []
  private let stateFile: String

  /// Loads the state from `directory`, or creates a new organization and key there.
  init(directory: String, requestedKey: APIKey?) throws {
    stateFile = directory + "/state.json"
    if let text = try? FileText.read(stateFile), let value = try? JSONValue(parsing: text),
      let organizationValue = value["organization"], let id = organizationValue["id"]?.stringValue
    {
      organization = Organization(
        id: id,
        name: organizationValue["name"]?.stringValue ?? "mpg local",
        createdAt: organizationValue["createdAt"]?.stringValue ?? Timestamp.now()
      )
      let storedKey = APIKey(id: value["key"]?["id"]?.stringValue ?? "", secret: value["key"]?["secret"]?.stringValue ?? "")
      key = requestedKey ?? storedKey
      services = (value["services"]?.arrayElements ?? []).compactMap(ServiceRecord.init(stored:))
      deletedIDs = Set((value["deleted"]?.arrayElements ?? []).compactMap(\.stringValue))
    } else {
      organization = Organization(id: Identifiers.uuid(), name: "mpg local", createdAt: Timestamp.now())
      key = requestedKey ?? APIKey(id: Identifiers.token(bytes: 10), secret: "4b1d" + Identifiers.token(bytes: 18))
    }
    try Self.write(stateFile, organization: organization, key: key, services: services, deleted: deletedIDs)
  }

  /// The service with `id`, if it exists and was not deleted.
  func service(_ id: String) -> ServiceRecord? {
    services.first { $0.id == id }
  }

  /// Whether `id` named a service that has since been deleted.
  func wasDeleted(_ id: String) -> Bool {
    deletedIDs.contains(id)
  }

  /// Adds a new service (its address is no longer only reserved: it is taken).
  func insert(_ record: ServiceRecord) throws {
    services.append(record)
    reservedAddresses.remove(record.hostname)
    try persist()
  }

  /// Changes a service in place; returns the updated record (or `nil` when it no longer exists). When
  /// `change` throws, nothing changes: a check of the current state and the change are one step.
  @discardableResult
  func update(_ id: String, _ change: (inout ServiceRecord) throws -> Void) throws -> ServiceRecord? {
    guard let index = services.firstIndex(where: { $0.id == id }) else { return nil }
    var record = services[index]
    try change(&record)
    services[index] = record
    try persist()
    return record
  }

  /// Moves a service to `next`, making `change` with the move, when `ServiceState.transitions` has
  /// that move from where the service is now. Returns the updated record; nil when the service is gone
  /// or the move is refused (then nothing changes).
  @discardableResult
  func move(_ id: String, to next: ServiceState, _ change: (inout ServiceRecord) -> Void = { _ in }) throws -> ServiceRecord? {
    guard let current = service(id), current.state.canMove(to: next) else { return nil }
    return try update(id) { record in
      change(&record)
      try record.move(to: next)
    }
  }

  /// Removes a service for good.
  func remove(_ id: String) throws {
    services.removeAll { $0.id == id }
    deletedIDs.insert(id)
    try persist()
  }

  /// A loopback address of its own for a new service, `127.77.BLOCK.x` (further on: `127.78.BLOCK.x`, …),
  /// that no service has and no create in flight holds: chosen and reserved in one step of this actor,
  /// so creates that arrive together never share one (a reservation ends when the service is inserted).
  /// The search starts at a random place, so two emulators whose organizations share a block seldom
  /// reach for the same address at the same moment.
  func reserveAddress(block: Int, avoiding avoided: Set<String> = []) -> String {
    let taken = Set(services.map(\.hostname)).union(reservedAddresses).union(avoided)
    var index = Int.random(in: 0..<250)
    while taken.contains(Self.address(index, block: block)) { index += 1 }
    let address = Self.address(index, block: block)
    reservedAddresses.insert(address)
    return address
  }

  /// Gives a service whose cluster could not start on its address a fresh one, none of the `tried`
  /// (another process may still hold them), chosen and assigned in one step of this actor; returns the
  /// updated record (nil when the service is gone).
  func moveToFreshAddress(_ id: String, block: Int, avoiding tried: Set<String>) throws -> ServiceRecord? {
    let address = reserveAddress(block: block, avoiding: tried)
    reservedAddresses.remove(address)
    return try update(id) { $0.hostname = address }
  }

  private static func address(_ index: Int, block: Int) -> String {
    "127.\(77 + index / 250).\(block).\(index % 250 + 1)"
  }

  private func persist() throws {
    try Self.write(stateFile, organization: organization, key: key, services: services, deleted: deletedIDs)
  }

  private static func write(
    _ path: String, organization: Organization, key: APIKey, services: [ServiceRecord], deleted: Set<String>
  ) throws {
    let value = JSONValue(object: [
      (
        "organization",
        JSONValue(object: [
          ("id", JSONValue(organization.id)), ("name", JSONValue(organization.name)),
          ("createdAt", JSONValue(organization.createdAt)),
        ])
      ),
      ("key", JSONValue(object: [("id", JSONValue(key.id)), ("secret", JSONValue(key.secret))])),
      ("services", JSONValue(array: services.map(\.stored))),
      ("deleted", JSONValue(array: deleted.sorted().map { JSONValue($0) })),
    ])
    try FileText.writeAtomically(value.dumped(.pretty) + "\n", to: path, mode: 0o600, exactMode: true)
  }
}
