import Testing

/// The observability suites, one after another: each starts an emulator with a real cluster, and four more
/// of those beside the other suites only slow a small machine down.
@Suite("Observability over HTTP on real clusters", .serialized)
enum ObservabilityTests {}
