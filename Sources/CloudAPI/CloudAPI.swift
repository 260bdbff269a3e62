// The CloudAPI target: an HTTP client for ClickHouse Cloud's API (async-http-client), the ways to
// find credentials (flags, environment, `.env`, profiles), and the local credential vault. It knows
// no terminal and no interpreter; it may import JQ (bodies are jq values) and FileIO.

/// The live API's base URL.
public let liveEndpoint = "https://api.clickhouse.cloud"
