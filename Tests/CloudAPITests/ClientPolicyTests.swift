@testable import Builtins
@testable import CloudAPI
import JQ
import Testing

/// Retries, pacing, proxies and masking: the client's rules, without a network.
struct ClientPolicyTests {
  @Test func backoffGrowsIsCappedAndHonoursTheServer() {
    let policy = RetryPolicy(maximumAttempts: 6, initialDelay: 0.5, maximumDelay: 4)
    for attempt in 1...10 {
      let delay = policy.delay(afterAttempt: attempt, serverHint: nil)
      let ceiling = min(4, 0.5 * Double(1 << (attempt - 1)))
      #expect(delay >= ceiling / 2 && delay <= ceiling, "attempt \(attempt): \(delay)")
    }
    #expect(policy.delay(afterAttempt: 1, serverHint: 3) >= 3)
    #expect(RetryPolicy.isTransient(status: 429) && RetryPolicy.isTransient(status: 503) && !RetryPolicy.isTransient(status: 400))
  }

  @Test func onlyPostIsNotRepeatedBlindly() {
    #expect(APIRequest("get", "/v1").isIdempotent)
    #expect(APIRequest("PATCH", "/v1").isIdempotent)
    #expect(APIRequest("DELETE", "/v1").isIdempotent)
    #expect(!APIRequest("POST", "/v1").isIdempotent)
  }

  @Test func pacerWaitsOnceTheWindowIsFull() async throws {
    let pacer = RequestPacer(rule: (3, 0.3))
    let start = RequestPacer.now()
    for _ in 0..<3 { try await pacer.acquire() }
    #expect(RequestPacer.now() - start < 0.2)
    try await pacer.acquire()
    // The window, plus the margin for the request's way to the server (at least 0.2 s).
    #expect(RequestPacer.now() - start >= 0.49)
  }

  @Test func pacerServesConcurrentSendersInTheOrderTheyAsked() async throws {
    let pacer = RequestPacer(rule: (2, 0.2))
    let order = OrderLog()
    try await withThrowingTaskGroup(of: Void.self) { group in
      for index in 0..<6 {
        group.addTask {
          let slot = try await pacer.acquire()
          await order.record(index, at: slot)
        }
        // Each asks a little after the one before, so the order of asking is known.
        try await Task.sleep(nanoseconds: 10_000_000)
      }
      try await group.waitForAll()
    }
    let entries = await order.entries
    #expect(entries.map(\.index) == Array(0..<6))
    // Never more than two in any window of 0.2 s (plus the pacer's margin of at least 0.2 s).
    for (first, third) in zip(entries, entries.dropFirst(2)) {
      #expect(third.slot - first.slot >= 0.4, "\(entries)")
    }
  }

  @Test func aPauseAfterA429HoldsEverySenderOfTheKey() async throws {
    for rule in [(requests: 10, seconds: 1.0), nil] {
      let pacer = RequestPacer(rule: rule)
      try await pacer.acquire()
      pacer.pause(for: 0.3)
      let start = RequestPacer.now()
      async let first = pacer.acquire()
      async let second = pacer.acquire()
      _ = try await (first, second)
      #expect(RequestPacer.now() - start >= 0.29)
    }
  }

  @Test func clientsOfOneKeyShareOnePacer() {
    let one = RequestPacer.shared(endpoint: "https://api.example", keyID: "k1", rule: (10, 10))
    #expect(one === RequestPacer.shared(endpoint: "https://api.example", keyID: "k1", rule: (10, 10)))
    #expect(one !== RequestPacer.shared(endpoint: "https://api.example", keyID: "k2", rule: (10, 10)))
    #expect(one !== RequestPacer.shared(endpoint: "http://127.0.0.1:1", keyID: "k1", rule: (10, 10)))
  }

  @Test func proxyFromTheEnvironmentUnlessBypassed() {
    let environment = ["HTTPS_PROXY": "http://user:pw@proxy.internal:3128", "NO_PROXY": "localhost,.corp.example,127.0.0.1"]
    let proxy = ProxySettings.forHost("api.clickhouse.cloud", scheme: "https", environment: environment)
    #expect(proxy == ProxySettings(host: "proxy.internal", port: 3128, userInfo: "user:pw"))
    #expect(ProxySettings.forHost("db.corp.example", scheme: "https", environment: environment) == nil)
    #expect(ProxySettings.forHost("127.0.0.1", scheme: "https", environment: environment) == nil)
    #expect(ProxySettings.forHost("api.clickhouse.cloud", scheme: "http", environment: environment) == nil)
    #expect(ProxySettings.forHost("x", scheme: "https", environment: ["https_proxy": "proxy:8080", "no_proxy": "*"]) == nil)
  }

  @Test func basicCredentialsAndQueryEncoding() {
    #expect(
      APICredentials(keyID: "Aladdin", keySecret: "open sesame").authorizationHeader == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
    #expect(APICredentials(keyID: "id", keySecret: "s3cret").description == "id:********")
    #expect(
      APIRequest("GET", "/p", query: [("from_date", "2026-11-30T10:00:00Z"), ("q", "a b&c")]).target
        == "/p?from_date=2026-11-30T10%3A00%3A00Z&q=a%20b%26c")
  }

  @Test func printedValuesHideSecrets() throws {
    let value = try JSONValue(
      parsing: #"""
        {"id": "x", "password": "hunter2-Hunter2", "connectionString": "postgres://postgres:p%40ss@127.0.0.1:5432/postgres?sslmode=require",
         "nested": [{"keySecret": "abc"}], "name": "password"}
        """#)
    let masked = SecretMasking.masked(value).dumped(.compact)
    #expect(!masked.contains("hunter2") && !masked.contains("p%40ss") && !masked.contains("abc"))
    #expect(masked.contains(#""connectionString":"postgres://postgres:********@127.0.0.1:5432/postgres?sslmode=require""#))
    #expect(masked.contains(#""name":"password""#))
    let plain = JSONValue("password")
    #expect(SecretMasking.masked(plain) === plain)
  }

  @Test(arguments: [
    ("select 1", true), ("  -- note\n WITH x AS (select 1) select * from x", true), ("values (1)", true),
    ("insert into t values (1)", false), ("create table t (id int)", false), ("select 1; select 2", false),
    ("with x as (delete from t returning *) select * from x", false), ("/* c */ SELECT now()", true), ("show work_mem", false),
  ])
  func whichStatementsReturnRows(sql: String, isQuery: Bool) {
    #expect(SQLCommand.isQuery(sql) == isQuery)
  }
}

/// The order in which concurrent senders got their slots.
private actor OrderLog {
  private(set) var entries: [(index: Int, slot: Double)] = []
  func record(_ index: Int, at slot: Double) { entries.append((index, slot)) }
}
