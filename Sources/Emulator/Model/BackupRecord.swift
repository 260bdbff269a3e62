import JQ

#if canImport(Glibc)
  import Glibc
#endif

/// One base backup of a service, as `GET …/backups` shows it.
struct BackupRecord: Sendable, Equatable {
  /// The backup's name (its directory under the service's `backups/`).
  var key: String
  /// When it finished, in seconds since the epoch: a restore can start from it at or after this moment.
  var finishedAt: Double

  /// The finish time in the API's form.
  var lastModified: String { Timestamp.format(time_t(finishedAt.rounded(.up))) }

  /// The API's view: key, lastModified and status (the emulator lists only finished backups).
  var json: JSONValue {
    JSONValue(object: [("key", JSONValue(key)), ("lastModified", JSONValue(lastModified)), ("status", JSONValue("completed"))])
  }

  /// The record in the state file.
  var stored: JSONValue {
    JSONValue(object: [("key", JSONValue(key)), ("finishedAt", JSONValue(finishedAt))])
  }

  init(key: String, finishedAt: Double) {
    self.key = key
    self.finishedAt = finishedAt
  }

  init?(stored value: JSONValue) {
    guard let key = value["key"]?.stringValue, let finishedAt = value["finishedAt"]?.numberValue else { return nil }
    self.init(key: key, finishedAt: finishedAt)
  }
}
