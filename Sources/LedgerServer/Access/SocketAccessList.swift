import CXattr

#if canImport(Glibc)
import Glibc
#endif

/// The socket's POSIX access list: the owner, group and others of `socket.mode`, plus read and write for every user
/// and group that `roles` maps. A person in a role group then reaches the socket without being in the daemon's group,
/// and that group (which can reach nothing else either) stays the daemon's own.
///
/// It is written as the kernel's `system.posix_acl_access` extended attribute (the layout of
/// `linux/posix_acl_xattr.h`, which `setfacl` writes too), so no library is needed.
struct SocketAccessList: Equatable {
    /// The permission bits of `socket.mode` (owner, group, others).
    var mode: UInt32
    /// Users given read and write, ascending and without duplicates.
    var users: [UInt32]
    /// Groups given read and write, ascending and without duplicates.
    var groups: [UInt32]

    /// The list for `mode` and the users and groups of `roles`, leaving out `owner` (the daemon's uid, which has the
    /// owner's entry); nil when no one beyond the mode needs access.
    init?(mode: UInt32, roles: RoleMap, owner: UInt32) {
        let users = Set(roles.users.keys).subtracting([owner]).sorted()
        let groups = Set(roles.groups.keys).sorted()
        guard !users.isEmpty || !groups.isEmpty else { return nil }
        self.mode = mode
        self.users = users
        self.groups = groups
    }

    /// The attribute's bytes: version 2, then (tag, permissions, id) entries in the kernel's required order (by tag,
    /// then by id), all little-endian.
    var attribute: [UInt8] {
        var bytes: [UInt8] = []
        func append(_ value: UInt32, bytes count: Int) {
            for shift in stride(from: 0, to: count * 8, by: 8) {
                bytes.append(UInt8(truncatingIfNeeded: value >> shift))
            }
        }
        func entry(_ tag: Tag, _ permissions: UInt32, id: UInt32 = Self.undefinedID) {
            append(tag.rawValue, bytes: 2)
            append(permissions & 0o7, bytes: 2)
            append(id, bytes: 4)
        }
        append(Self.version, bytes: 4)
        entry(.owner, mode >> 6)
        for user in users { entry(.user, Self.readWrite, id: user) }
        entry(.owningGroup, mode >> 3)
        for group in groups { entry(.group, Self.readWrite, id: group) }
        // The mask bounds the named entries and the owning group; it grants no more than they ask for.
        entry(.mask, Self.readWrite | (mode >> 3))
        entry(.others, mode)
        return bytes
    }

    /// Writes the list on the file at `path`; the error number when the kernel refuses it (EOPNOTSUPP: the file
    /// system keeps no access lists).
    func apply(to path: String) -> Int32? {
        let value = attribute
        let result = value.withUnsafeBytes { setxattr(path, "system.posix_acl_access", $0.baseAddress, $0.count, 0) }
        return result == 0 ? nil : errno
    }

    private enum Tag: UInt32 {
        case owner = 0x01
        case user = 0x02
        case owningGroup = 0x04
        case group = 0x08
        case mask = 0x10
        case others = 0x20
    }

    private static let version: UInt32 = 2
    private static let undefinedID = UInt32.max
    private static let readWrite: UInt32 = 0o6
}
