import Foundation
import MPGTestSupport
import Testing

/// `mpg emulator postgres list|install`.
@Suite("emulator postgres")
struct EmulatorPostgresCommandTests {
  @Test func listShowsTheMajorsAndWhereTheyWereLookedFor() throws {
    let run = try MPGProcess.run(["emulator", "postgres", "list"], directory: URL(fileURLWithPath: "/"))
    #expect(run.status == 0, "\(run.standardError)")
    for major in ["17", "18"] {
      #expect(run.standardOutput.split(separator: "\n").contains { $0.hasPrefix(major + "  ") }, "\(run.standardOutput)")
    }
    #expect(run.standardOutput.contains("searched: "), "\(run.standardOutput)")
  }

  @Test func installingAMajorThatIsThereDoesNothing() throws {
    let checkout = MPGProcess.packageRoot().appendingPathComponent(".venv/postgresql").path
    let run = try MPGProcess.run(
      ["emulator", "postgres", "install", "18", "--dir", checkout], directory: URL(fileURLWithPath: "/"))
    #expect(run.status == 0, "\(run.standardError)")
    #expect(run.standardOutput.contains("is already installed in \(checkout)/18"), "\(run.standardOutput)")
  }

  @Test func anUnknownMajorIsAUsageError() throws {
    let run = try MPGProcess.run(["emulator", "postgres", "install", "16"])
    #expect(run.status == 2, "\(run.standardError)")
    #expect(run.standardError.contains("mpg installs PostgreSQL 17 or 18, not 16"), "\(run.standardError)")
  }
}
