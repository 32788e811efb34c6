import NIOCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Keeps one file descriptor in reserve on the listening socket, for when `accept` fails for want of descriptors
/// (EMFILE, ENFILE): the reserve is let go, so that the next `accept` succeeds and that connection is refused with
/// `ERR OVERLOADED` (`exhausted` tells the child channel initializer) rather than left waiting unseen, and it is taken
/// back before the next accept that NIO's `AcceptBackoffHandler` (next in the pipeline) lets through.
///
/// Without it the backoff never started: NIO keeps a read pending on a listening socket until an `accept` succeeds,
/// so after a failed one the event loop is woken again at once and fails again, spinning a core.
final class DescriptorReserve: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = any Channel
    typealias OutboundIn = any Channel

    /// Whether the reserve is let go: a connection accepted meanwhile took its descriptor and is to be refused.
    final class State: Sendable {
        let exhausted = Atomic<Bool>(false)
    }

    private let state: State
    private var reserve: Int32

    init(state: State) {
        self.state = state
        reserve = Self.open()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? IOError, error.errnoCode == EMFILE || error.errnoCode == ENFILE, reserve >= 0 {
            Glibc.close(reserve)
            reserve = -1
            state.exhausted.store(true, ordering: .relaxed)
        }
        context.fireErrorCaught(error)
    }

    func read(context: ChannelHandlerContext) {
        if reserve < 0 {
            reserve = Self.open()
            if reserve >= 0 { state.exhausted.store(false, ordering: .relaxed) }
        }
        context.read()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if reserve >= 0 { Glibc.close(reserve) }
        reserve = -1
    }

    private static func open() -> Int32 {
        Glibc.open("/dev/null", O_RDONLY | O_CLOEXEC)
    }
}
