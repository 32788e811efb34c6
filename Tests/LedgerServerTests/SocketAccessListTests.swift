import Testing

@testable import LedgerServer

/// The socket's access list as the kernel reads it (`linux/posix_acl_xattr.h`).
@Suite("The socket's access list")
struct SocketAccessListTests {
    @Test("version 2, then owner, named users, owning group, named groups, mask and others, ids ascending")
    func layout() throws {
        let roles = RoleMap(users: [501: .writer, 0: .ops, 500: .reader], groups: [90: .reader, 80: .ops])
        let list = try #require(SocketAccessList(mode: 0o660, roles: roles, owner: 0))
        #expect(list.users == [500, 501], "the owner has the owner's entry")
        #expect(list.groups == [80, 90])
        func entry(_ tag: UInt8, _ permissions: UInt8, _ id: UInt32) -> [UInt8] {
            [tag, 0, permissions, 0] + (0..<4).map { UInt8(truncatingIfNeeded: id >> ($0 * 8)) }
        }
        let undefined = UInt32.max
        let expected =
            [2, 0, 0, 0] + entry(0x01, 6, undefined) + entry(0x02, 6, 500) + entry(0x02, 6, 501)
            + entry(0x04, 6, undefined) + entry(0x08, 6, 80) + entry(0x08, 6, 90) + entry(0x10, 6, undefined)
            + entry(0x20, 0, undefined)
        #expect(list.attribute == expected)
    }

    @Test("a mode that keeps the socket's group out keeps it out; the mask grants the named entries read and write")
    func ownerOnlyMode() throws {
        let list = try #require(SocketAccessList(mode: 0o600, roles: RoleMap(groups: [7: .reader]), owner: 0))
        let entries = stride(from: 4, to: list.attribute.count, by: 8).map { list.attribute[$0..<$0 + 4] }
        #expect(
            entries.map { Array($0) } == [
                [0x01, 0, 6, 0], [0x04, 0, 0, 0], [0x08, 0, 6, 0], [0x10, 0, 6, 0], [0x20, 0, 0, 0],
            ]
        )
    }

    @Test("no list when roles name nobody but the daemon's own user")
    func noneNeeded() {
        #expect(SocketAccessList(mode: 0o660, roles: RoleMap(), owner: 0) == nil)
        #expect(SocketAccessList(mode: 0o660, roles: RoleMap(users: [0: .ops]), owner: 0) == nil)
    }
}
