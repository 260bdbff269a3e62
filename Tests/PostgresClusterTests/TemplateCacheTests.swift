import FileIO
import Glibc
import Logging
import Synchronization
import Testing

@testable import PostgresCluster

/// A template made once serves every later data directory: a second root takes it from the cache
/// instead of running initdb, and it goes back into the cache after that root's first cluster copy.
struct TemplateCacheTests {
  /// Keeps the messages logged through it.
  final class Messages: Sendable {
    let lines = Mutex<[String]>([])
  }

  struct RecordingHandler: LogHandler {
    let messages: Messages
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
      get { metadata[key] }
      set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
      messages.lines.withLock { $0.append(event.message.description) }
    }
  }

  @Test func aSecondDataDirectoryTakesTheTemplateFromTheCache() async throws {
    let fixture = TestFixture.shared
    let user = try await fixture.user()
    let installation = try await fixture.installations().binaries(forMajor: 18).reachable(by: user)
    // Settings of its own, so the template is new to the cache whatever ran before.
    let settings = ClusterTemplate.Settings(parameters: [
      "application_name": "cache-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    ])
    let first = try user.prepareDirectory(for: "\(TestFixture.root)/cache-a-\(getpid())")
    let second = try user.prepareDirectory(for: "\(TestFixture.root)/cache-b-\(getpid())")
    let messages = Messages()
    let logger = Logger(label: "test") { _ in RecordingHandler(messages: messages) }

    let made = try await ClusterTemplate.prepare(
      installation: installation, user: user, in: first, settings: settings, spareCopies: 0, logger: logger)
    let name = String(made.dataDirectory.split(separator: "/").last!)
    let cached = ClusterTemplate.cachedCopy(of: name, user: user)
    defer {
      try? ClusterFiles.removeTree(first)
      try? ClusterFiles.removeTree(second)
      try? ClusterFiles.removeTree(cached)
      try? ClusterFiles.removeTree(cached + ClusterTemplate.readySuffix)
    }
    #expect(messages.lines.withLock { $0.contains { $0.hasPrefix("initialised template") } })
    #expect(!FileSystem.isDirectory(cached), "the cache copy waits for the first cluster's")
    try await made.copyDataDirectory(to: "\(first)/cluster")
    await made.finishRefilling()
    #expect(FileSystem.isDirectory(cached))

    let taken = try await ClusterTemplate.prepare(
      installation: installation, user: user, in: second, settings: settings, spareCopies: 0, logger: logger)
    #expect(
      messages.lines.withLock { $0.contains { $0.hasPrefix("template \(taken.dataDirectory) taken from") } },
      "\(messages.lines.withLock { $0 })")
    #expect(FileSystem.exists("\(taken.dataDirectory)/PG_VERSION"))
    // Its first cluster takes the cache's ready copy (a rename: nothing is copied while it waits).
    let ready = cached + ClusterTemplate.readySuffix
    #expect(FileSystem.isDirectory(ready), "the cache keeps a ready copy")
    try await taken.copyDataDirectory(to: "\(second)/cluster")
    #expect(FileSystem.exists("\(second)/cluster/PG_VERSION"))
    #expect(!FileSystem.isDirectory(ready), "the ready copy was taken")
    await taken.finishRefilling()
    #expect(FileSystem.isDirectory(cached), "the template went back into the cache")
    #expect(FileSystem.isDirectory(ready), "and a new ready copy was made")
  }
}
