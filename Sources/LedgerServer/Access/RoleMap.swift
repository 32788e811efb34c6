import LedgerProtocol

#if canImport(Glibc)
import Glibc
#endif

/// Maps a peer's uid and gids to a role: a user mapping wins over a group mapping; among groups, the most
/// privileged role wins (`Role`'s order: reader, writer, auditor, witness, replica, ops). The daemon's own uid is always `ops`.
///
/// The gids are all of the peer's groups: the one `SO_PEERCRED` reports and the user's primary and supplementary
/// groups (`PeerGroups`).
public struct RoleMap: Sendable, Equatable {
    /// Roles by user id.
    public var users: [UInt32: Role] = [:]
    /// Roles by group id.
    public var groups: [UInt32: Role] = [:]

    public init(users: [UInt32: Role] = [:], groups: [UInt32: Role] = [:]) {
        self.users = users
        self.groups = groups
    }

    /// The role for a peer with the uid `uid` in the groups `gids`, or nil when neither is mapped.
    public func role(uid: UInt32, gids: some Sequence<UInt32>, daemonUID: UInt32 = getuid()) -> Role? {
        if let role = userRole(uid: uid, daemonUID: daemonUID) { return role }
        return gids.compactMap { groups[$0] }.max()
    }

    /// The role for a connected peer: its uid, then every group it is in (looked up in `groups` only when a group
    /// could decide).
    func role(of peer: PeerCredentials, groups: PeerGroups, daemonUID: UInt32) -> Role? {
        if let role = userRole(uid: peer.uid, daemonUID: daemonUID) { return role }
        guard !self.groups.isEmpty else { return nil }
        return role(uid: peer.uid, gids: groups.gids(uid: peer.uid, gid: peer.gid), daemonUID: daemonUID)
    }

    /// The role that the uid `uid` has whatever its groups (the daemon's own uid, or a user mapping), or nil.
    public func userRole(uid: UInt32, daemonUID: UInt32 = getuid()) -> Role? {
        if uid == daemonUID { return .ops }
        return users[uid]
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
