import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// The process at the other end of a Unix-domain socket, from `SO_PEERCRED`.
public struct PeerCredentials: Sendable, Hashable, CustomStringConvertible {
    public var pid: Int32
    public var uid: UInt32
    public var gid: UInt32

    public var description: String { "pid \(pid) uid \(uid) gid \(gid)" }

    /// Reads the credentials of a connected channel (call on its event loop, in the child channel initializer).
    static func of(_ channel: any Channel) -> EventLoopFuture<PeerCredentials> {
        guard let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeFailedFuture(ChannelError.operationUnsupported)
        }
        let future: EventLoopFuture<LinuxPeerCredentials> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET),
            name: SocketOptionName(SO_PEERCRED)
        )
        return future.map { PeerCredentials(pid: $0.pid, uid: $0.uid, gid: $0.gid) }
    }
}

/// The layout of Linux's `struct ucred` (which Swift's Glibc module does not export): pid, uid, gid.
struct LinuxPeerCredentials: Sendable {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
}
