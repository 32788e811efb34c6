import NIOCore

/// Caps the bytes one connection of the metrics HTTP endpoint may send (it serves one request per connection): past
/// `maxBytes` it answers `431 Request Header Fields Too Large` and closes its side, before the HTTP decoder buffers any
/// more; what the client still sends is read and dropped (so the answer is not lost to a reset) until it closes too or
/// the connection idles out.
final class RequestSizeLimitHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum State {
        case reading(received: Int)
        case refused
    }

    private let maxBytes: Int
    private var state = State.reading(received: 0)

    init(maxBytes: Int) {
        self.maxBytes = maxBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .reading(let received) = state else { return }
        let total = received + unwrapInboundIn(data).readableBytes
        guard total > maxBytes else {
            state = .reading(received: total)
            return context.fireChannelRead(data)
        }
        state = .refused
        let body = "the request exceeds \(maxBytes) bytes\n"
        let response =
            "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: response))).whenComplete { _ in
            bound.value.close(mode: .output, promise: nil)
        }
    }
}
