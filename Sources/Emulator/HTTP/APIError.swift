import Hummingbird

/// An error answered in the Cloud API's envelope: `{"status": N, "error": "CODE: detail", "requestId": …}`.
struct APIError: Error, Sendable {
  /// The HTTP status.
  var status: HTTPResponse.Status
  /// The `error` text exactly as the live API words it, e.g. `BAD_REQUEST: Invalid Postgres service id …`.
  var text: String
  /// Extra response headers (rate limiting).
  var headers: HTTPFields = [:]

  static func badRequest(_ detail: String) -> APIError {
    APIError(status: .badRequest, text: "BAD_REQUEST: \(detail)")
  }

  /// The live API's answer for an id that is malformed or names no service.
  static func invalidServiceID(_ id: String) -> APIError {
    badRequest("Invalid Postgres service id \(id)")
  }

  /// Another organization's id (or one that does not exist): the live API says only `NOT_FOUND`.
  static let organizationNotFound = APIError(status: .notFound, text: "NOT_FOUND")

  static func notFound(_ detail: String) -> APIError {
    APIError(status: .notFound, text: "NOT_FOUND: \(detail)")
  }

  static func conflict(_ detail: String) -> APIError {
    APIError(status: .conflict, text: "CONFLICT: \(detail)")
  }

  static let unauthenticated = APIError(status: .unauthorized, text: "UNAUTHENTICATED: The API key is missing or invalid")

  static func internalError(_ detail: String) -> APIError {
    APIError(status: .internalServerError, text: "INTERNAL_SERVER_ERROR: \(detail)")
  }
}
