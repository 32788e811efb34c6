import LedgerProtocol
import Synchronization
import Testing

@testable import LedgerServer

/// Role resolution from all of a peer's groups, and the per-uid cache of its group lookups.
@Suite("Peer groups and roles")
struct PeerGroupsTests {
    @Test("a user mapping wins; among the groups the most privileged role wins; the daemon's uid is ops")
    func roleRules() {
        let roles = RoleMap(users: [10: .reader], groups: [1: .reader, 2: .auditor, 3: .writer])
        #expect(roles.role(uid: 10, gids: [2], daemonUID: 0) == .reader)
        #expect(roles.role(uid: 11, gids: [9, 1, 3, 2], daemonUID: 0) == .auditor)
        #expect(roles.role(uid: 11, gids: [1, 3], daemonUID: 0) == .writer)
        #expect(roles.role(uid: 11, gids: [9], daemonUID: 0) == nil)
        #expect(roles.role(uid: 0, gids: [], daemonUID: 0) == .ops)
    }

    @Test("the peer's reported gid comes first, then the user's groups; a uid without a user entry has only its gid")
    func gids() {
        let groups = PeerGroups { uid in uid == 7 ? [70, 5, 71] : nil }
        #expect(groups.gids(uid: 7, gid: 5) == [5, 70, 71])
        #expect(groups.gids(uid: 8, gid: 80) == [80])
    }

    @Test("the user and group databases: root is in group 0; a uid nobody has has no groups")
    func systemLookup() {
        #expect(PeerGroups.groups(ofUser: 0)?.contains(0) == true)
        #expect(PeerGroups.groups(ofUser: 61_999) == nil)
    }

    @Test("a uid is looked up once per lifetime, a uid without a user entry too", .timeLimit(.minutes(3)))
    func lifetime() async throws {
        let lookups = Lookups()
        let groups = PeerGroups(lifetime: .milliseconds(200)) { uid in
            lookups.record(uid)
            return uid == 1 ? [10] : nil
        }
        for _ in 0..<5 {
            _ = groups.gids(uid: 1, gid: 1)
            _ = groups.gids(uid: 2, gid: 2)
        }
        #expect(lookups.uids == [1, 2])
        try await Task.sleep(for: .milliseconds(300))
        #expect(groups.gids(uid: 1, gid: 1) == [1, 10])
        #expect(lookups.uids == [1, 2, 1])
    }

    @Test("the cache holds at most its capacity; the entry that expires soonest goes first")
    func capacity() {
        let lookups = Lookups()
        let groups = PeerGroups(capacity: 2) { uid in
            lookups.record(uid)
            return [uid]
        }
        for uid: UInt32 in [1, 2, 3] { _ = groups.gids(uid: uid, gid: 0) }
        #expect(groups.count == 2)
        _ = groups.gids(uid: 3, gid: 0)
        _ = groups.gids(uid: 1, gid: 0)
        #expect(lookups.uids == [1, 2, 3, 1], "3 was kept, 1 (the oldest) was evicted")
    }
}

/// The uids a test's lookup was asked for, in order.
private final class Lookups: Sendable {
    private let asked = Mutex<[UInt32]>([])

    var uids: [UInt32] { asked.withLock { $0 } }

    func record(_ uid: UInt32) {
        asked.withLock { $0.append(uid) }
    }
}
