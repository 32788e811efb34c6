import Foundation

/// A throwaway system user with its own primary group and some supplementary groups, made with `groupadd`,
/// `useradd` and `usermod -aG` (as an operator grants access) and removed by `remove()`.
public final class SystemAccount {
    public static let tools = [
        "/usr/sbin/groupadd", "/usr/sbin/useradd", "/usr/sbin/usermod", "/usr/sbin/userdel", "/usr/sbin/groupdel",
    ]

    /// Why accounts cannot be made here, or nil when they can (root and the shadow tools).
    public static var unavailable: String? {
        guard getuid() == 0 else { return "not root" }
        let missing = tools.filter { !FileManager.default.isExecutableFile(atPath: $0) }
        return missing.isEmpty ? nil : "missing \(missing.joined(separator: ", ")) (apt-get install passwd)"
    }

    public let user: String
    public let uid: UInt32
    /// The user's primary group's gid.
    public let gid: UInt32
    /// The supplementary groups' gids by name.
    public let groups: [String: UInt32]
    /// The supplementary groups this account created (and removes); the others were there already.
    private let createdGroups: [String]
    private var removed = false

    /// Creates the groups in `groups` that do not exist yet (system groups) and the user `user` in its own primary
    /// group and in `groups` as supplementary groups. Names should be unique to the test run (they live in the
    /// machine's databases).
    public init(user: String, groups: [String]) throws {
        self.user = user
        var gids = [String: UInt32]()
        var created = [String]()
        do {
            for group in groups {
                if getgrnam(group) == nil {
                    try Self.run("/usr/sbin/groupadd", ["--system", group])
                    created.append(group)
                }
                gids[group] = try Self.groupID(group)
            }
            try Self.run(
                "/usr/sbin/useradd",
                ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", user]
            )
            if !groups.isEmpty { try Self.run("/usr/sbin/usermod", ["-aG", groups.joined(separator: ","), user]) }
            guard let entry = getpwnam(user) else { throw Failure(description: "useradd made no user \(user)") }
            uid = entry.pointee.pw_uid
            gid = entry.pointee.pw_gid
        } catch {
            Self.delete(user: user, groups: created)
            throw error
        }
        self.groups = gids
        createdGroups = created
    }

    /// Deletes the user (and its primary group) and the supplementary groups it created.
    public func remove() {
        guard !removed else { return }
        removed = true
        Self.delete(user: user, groups: createdGroups)
    }

    private static func delete(user: String, groups: [String]) {
        if getpwnam(user) != nil { try? run("/usr/sbin/userdel", [user]) }
        // userdel removes the user's own group where USERGROUPS_ENAB is set; elsewhere it is still there.
        if getgrnam(user) != nil { try? run("/usr/sbin/groupdel", [user]) }
        for group in groups { try? run("/usr/sbin/groupdel", [group]) }
    }

    deinit {
        remove()
    }

    /// The gid of the group `name`.
    private static func groupID(_ name: String) throws -> UInt32 {
        guard let group = getgrnam(name) else { throw Failure(description: "groupadd made no group \(name)") }
        return group.pointee.gr_gid
    }

    private static func run(_ tool: String, _ arguments: [String]) throws {
        let outcome = try Program.run(tool, arguments)
        guard outcome.status == 0 else {
            throw Failure(
                description: "\(tool) \(arguments.joined(separator: " ")) exited \(outcome.status): \(outcome.output)"
            )
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }
}
