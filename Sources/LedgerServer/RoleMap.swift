import LedgerProtocol

#if canImport(Glibc)
import Glibc
#endif

/// Maps a peer's uid and gids to a role: a user mapping wins over a group mapping; among groups, the most
/// privileged role wins. The daemon's own uid is always `ops`.
public struct RoleMap: Sendable, Equatable {
    /// Roles by user id.
    public var users: [UInt32: Role] = [:]
    /// Roles by group id.
    public var groups: [UInt32: Role] = [:]

    public init(users: [UInt32: Role] = [:], groups: [UInt32: Role] = [:]) {
        self.users = users
        self.groups = groups
    }

    /// The role for a peer, or nil when it is not mapped.
    public func role(uid: UInt32, gid: UInt32, daemonUID: UInt32 = getuid()) -> Role? {
        if uid == daemonUID { return .ops }
        if let role = users[uid] { return role }
        return groups[gid]
    }

    /// Resolves a user name (or a decimal uid) to a uid.
    public static func userID(_ name: String) -> UInt32? {
        if let number = UInt32(name) { return number }
        return getpwnam(name).map { $0.pointee.pw_uid }
    }

    /// Resolves a group name (or a decimal gid) to a gid.
    public static func groupID(_ name: String) -> UInt32? {
        if let number = UInt32(name) { return number }
        return getgrnam(name).map { $0.pointee.gr_gid }
    }
}
