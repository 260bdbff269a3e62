import HTTPTypes
import NIOHTTPTypes
import JQ
import NIOCore

/// Puts the API's error envelope on the error answers the HTTP layer writes itself, before any route
/// or middleware runs: Hummingbird answers a request it cannot parse with a bare `400` and no body.
/// Every answer of the emulator's own carries a body, so an error status with `Content-Length: 0` is
/// one of those.
final class BareErrorEnvelope: ChannelOutboundHandler, RemovableChannelHandler {
  typealias OutboundIn = HTTPResponsePart
  typealias OutboundOut = HTTPResponsePart

  private var pendingBody: ByteBuffer?

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    switch unwrapOutboundIn(data) {
    case .head(var head) where head.status.code >= 400 && head.headerFields[.contentLength] == "0":
      let body = JSONValue(object: [
        ("status", JSONValue(head.status.code)),
        ("error", JSONValue("\(Self.code(for: head.status)): \(Self.detail(for: head.status))")),
        ("requestId", JSONValue(Identifiers.uuid())),
      ]).dumped(.compact)
      let buffer = context.channel.allocator.buffer(string: body)
      head.headerFields[.contentLength] = "\(buffer.readableBytes)"
      head.headerFields[.contentType] = "application/json"
      pendingBody = buffer
      context.write(wrapOutboundOut(.head(head)), promise: promise)
    case .end(let trailers) where pendingBody != nil:
      context.write(wrapOutboundOut(.body(pendingBody!)), promise: nil)
      pendingBody = nil
      context.write(wrapOutboundOut(.end(trailers)), promise: promise)
    default:
      context.write(data, promise: promise)
    }
  }

  private static func code(for status: HTTPResponse.Status) -> String {
    switch status {
    case .badRequest: "BAD_REQUEST"
    case .contentTooLarge: "PAYLOAD_TOO_LARGE"
    case .requestHeaderFieldsTooLarge: "REQUEST_HEADER_FIELDS_TOO_LARGE"
    default: String(status.reasonPhrase.uppercased().map { $0 == " " ? "_" : $0 })
    }
  }

  private static func detail(for status: HTTPResponse.Status) -> String {
    status == .badRequest ? "the request is not valid HTTP" : status.reasonPhrase
  }
}
