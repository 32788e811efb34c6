import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// All the groups of a peer for `RoleMap`: the gid `SO_PEERCRED` reports (the peer process's effective gid) and the
/// primary and supplementary groups of the peer uid's user in the system's user and group databases
/// (`getpwuid_r`, `getgrouplist`), so that a user added to a role group with `usermod -aG` gets its role.
///
/// A uid's groups are looked up at most once per `lifetime` (10 s): a user added to or removed from a group gets
/// or loses the role on the connections it opens after at most that long. The cache holds at most `capacity` uids
/// (1,024); when it is full, expired entries go first, then the one that expires soonest. A uid without a user
/// entry has only the reported gid.
/// - Important: Lookups run on the event loop that accepts the connection (a connection's role is decided before it
///   reads anything); the cache keeps one uid's burst of connections to one lookup.
final class PeerGroups: Sendable {
    /// How long a uid's groups are used before they are looked up again.
    static let defaultLifetime = Duration.seconds(10)
    /// The most uids whose groups are kept.
    static let defaultCapacity = 1024

    private struct Entry: Sendable {
        /// The user's groups, or nil when the uid has no user entry.
        var groups: [UInt32]?
        var expires: ContinuousClock.Instant
    }

    private let entries = Mutex<[UInt32: Entry]>([:])
    private let lifetime: Duration
    private let capacity: Int
    private let lookUp: @Sendable (UInt32) -> [UInt32]?

    /// - Parameters:
    ///   - lifetime: how long a uid's groups are used before they are looked up again.
    ///   - capacity: the most uids kept (at least 1).
    ///   - lookUp: the groups of a uid's user, or nil when it has none (by default `PeerGroups.groups(ofUser:)`).
    init(
        lifetime: Duration = defaultLifetime,
        capacity: Int = defaultCapacity,
        lookUp: @escaping @Sendable (UInt32) -> [UInt32]? = PeerGroups.groups(ofUser:)
    ) {
        self.lifetime = lifetime
        self.capacity = max(1, capacity)
        self.lookUp = lookUp
    }

    /// The peer's gids: `gid` first, then the other groups of the user `uid` (none when it has no user entry).
    func gids(uid: UInt32, gid: UInt32) -> [UInt32] {
        let now = ContinuousClock.now
        let groups: [UInt32]?
        if let entry = entries.withLock({ $0[uid] }), entry.expires > now {
            groups = entry.groups
        } else {
            // Looked up outside the lock: a slow user database delays this connection only.
            groups = lookUp(uid)
            store(groups, for: uid, now: now)
        }
        return [gid] + (groups ?? []).filter { $0 != gid }
    }

    /// The number of uids cached now (expired ones included until they are replaced or evicted).
    var count: Int { entries.withLock { $0.count } }

    private func store(_ groups: [UInt32]?, for uid: UInt32, now: ContinuousClock.Instant) {
        entries.withLock { entries in
            if entries[uid] == nil, entries.count >= capacity {
                entries = entries.filter { $0.value.expires > now }
                if entries.count >= capacity, let soonest = entries.min(by: { $0.value.expires < $1.value.expires }) {
                    entries[soonest.key] = nil
                }
            }
            entries[uid] = Entry(groups: groups, expires: now + lifetime)
        }
    }

    /// The primary and supplementary groups of the user whose uid is `uid`, or nil when no user has that uid (or the
    /// user database cannot be read).
    static func groups(ofUser uid: UInt32) -> [UInt32]? {
        var size = max(sysconf(Int32(_SC_GETPW_R_SIZE_MAX)), 1024)
        while size <= 1 << 20 {
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: size)
            defer { buffer.deallocate() }
            var entry = passwd()
            var found: UnsafeMutablePointer<passwd>?
            let status = getpwuid_r(uid, &entry, buffer, size, &found)
            if status == ERANGE {
                size *= 2
                continue
            }
            guard status == 0, let user = found?.pointee, let name = user.pw_name else { return nil }
            // `name` points into `buffer`, which lives until the end of this iteration.
            return groupList(user: name, primary: user.pw_gid)
        }
        return nil
    }

    /// `getgrouplist` for `user`, its buffer grown until every group fits.
    private static func groupList(user: UnsafePointer<CChar>, primary: gid_t) -> [UInt32] {
        var count: Int32 = 32
        while true {
            var groups = [gid_t](repeating: 0, count: Int(count))
            var found = count
            if getgrouplist(user, primary, &groups, &found) >= 0 {
                return Array(groups.prefix(Int(found)))
            }
            // Too small: `found` is how many there are (older glibc may leave it; grow anyway).
            guard count < 65_536 else { return [primary] }
            count = max(found, count * 2)
        }
    }
}
