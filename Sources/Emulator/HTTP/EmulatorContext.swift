import Hummingbird

/// Per-request context: Hummingbird's core storage plus the request id every response carries.
struct EmulatorContext: RequestContext {
  var coreContext: CoreRequestContextStorage
  /// The UUID v4 sent back as `requestId`.
  var requestID: String

  init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    requestID = Identifiers.uuid()
  }
}
