import Foundation
import LedgerJSON
import LedgerProtocol

extension ServerConfiguration {
    /// Applies a JSON configuration file on top of this configuration.
    ///
    /// Keys: `dataDirectory`, `socket.path`, `socket.mode` (octal text such as "0660"), `roles.users` and
    /// `roles.groups` (name or number -> reader|writer|auditor|replica|ops), `limits.maxLineBytes`, `limits.maxConnections`,
    /// `limits.reservedOpsConnections`, `limits.maxConnectionsPerUID`, `limits.maxConnectionsPerUnmappedUID`,
    /// `limits.unmappedIdleSeconds`, `limits.maxQueuedOutputBytes`, `limits.maxPipelinedRequests`,
    /// `limits.maxBatchEvents`, `limits.subscriberStallSeconds`, `limits.maxConsumers`, `limits.shutdownGraceSeconds`, `storage.mapSizeMiB`,
    /// `storage.maxMapSizeMiB`, `storage.maxReaders`,
    /// `storage.writerNice`, `backupDirectory`, `log.level`, `log.format` (text|json), `metrics.file` (a Prometheus
    /// text file for node_exporter's textfile collector), `metrics.intervalSeconds` (how often it is rewritten),
    /// `metrics.address` (`HOST:PORT` of the HTTP endpoint serving `/metrics` and `/healthz`; none by default),
    /// `metrics.healthMaxProjectionLagSeconds` (the projection lag above which `/healthz` answers 503),
    /// `checkpoints.keyFile`, `checkpoints.origin`, `checkpoints.everySeconds`,
    /// `checkpoints.everyEvents`, `replication.primary` (the socket or `tls://` address of the primary to follow),
    /// `replication.syncFollowers`, `replication.syncTimeoutMs`, `replication.onSyncTimeout` (degrade|block),
    /// `replication.certificateFile`, `keyFile`, `caFile` (a follower's client certificate for a `tls://` primary),
    /// `replication.address` (where clients reach this daemon once promoted), `tls.listen`, `tls.certificateFile`,
    /// `tls.keyFile`, `tls.clientCAFile`, `tls.roles.subjects`, `tls.roles.names` (`TLSSettings`).
    /// Unknown keys are refused so that typos do not go unnoticed.
    /// - Throws: `ConfigurationError` naming the key.
    public mutating func apply(file path: String) throws(ConfigurationError) {
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(key: "", "cannot read \(path)")
        }
        let root: JSONValue
        do {
            root = try JSONParser.parse(Array(contents))
        } catch {
            throw ConfigurationError(key: "", "\(path) is not valid JSON: \(error)")
        }
        try apply(ConfigReader(prefix: "", value: root))
    }

    private mutating func apply(_ root: ConfigReader) throws(ConfigurationError) {
        try root.expectKeys([
            "dataDirectory", "backupDirectory", "socket", "roles", "limits", "storage", "log", "metrics", "checkpoints",
            "replication", "tls",
        ])
        if let value = try root.string("dataDirectory") { dataDirectory = value }
        if let value = try root.string("backupDirectory") { backupDirectory = value }
        if let socket = try root.section("socket") {
            try socket.expectKeys(["path", "mode"])
            if let value = try socket.string("path") {
                try Self.checkSocketPath(value, key: "socket.path")
                socketPath = value
            }
            if let value = try socket.string("mode") {
                guard let mode = UInt32(value, radix: 8), mode <= 0o777 else {
                    throw ConfigurationError(key: "socket.mode", "must be octal permissions such as \"0660\"")
                }
                guard mode & 0o007 == 0 else {
                    throw ConfigurationError(
                        key: "socket.mode",
                        "\(value) lets every user on the machine connect; grant access through the group (\"0660\")"
                    )
                }
                guard mode & 0o600 == 0o600 else {
                    throw ConfigurationError(
                        key: "socket.mode",
                        "\(value) locks the daemon's own user out of its socket; the owner needs read and write (\"06x0\")"
                    )
                }
                socketMode = mode
            }
        }
        if let rolesSection = try root.section("roles") {
            try rolesSection.expectKeys(["users", "groups"])
            roles.users = try rolesSection.roles("users", resolve: RoleMap.userID)
            roles.groups = try rolesSection.roles("groups", resolve: RoleMap.groupID)
        }
        if let limits = try root.section("limits") {
            try limits.expectKeys([
                "maxLineBytes", "maxConnections", "reservedOpsConnections", "maxConnectionsPerUID",
                "maxConnectionsPerUnmappedUID", "unmappedIdleSeconds", "maxQueuedOutputBytes", "maxPipelinedRequests",
                "maxBatchEvents", "subscriberStallSeconds", "shutdownGraceSeconds", "maxConsumers",
            ])
            if let value = try limits.integer("maxLineBytes", in: 1024...(64 << 20)) { maxLineBytes = value }
            if let value = try limits.integer("maxConnections", in: 1...1_000_000) { maxConnections = value }
            if let value = try limits.integer("reservedOpsConnections", in: 0...1_000_000) {
                reservedOpsConnections = value
            }
            if let value = try limits.integer("maxConnectionsPerUID", in: 1...1_000_000) {
                maxConnectionsPerUID = value
            }
            if let value = try limits.integer("maxConnectionsPerUnmappedUID", in: 0...1_000_000) {
                maxConnectionsPerUnmappedUID = value
            }
            if let value = try limits.seconds("unmappedIdleSeconds") { unmappedIdleSeconds = value }
            if let value = try limits.integer("maxQueuedOutputBytes", in: 4096...(64 << 20)) {
                maxQueuedOutputBytes = value
            }
            if let value = try limits.integer("maxPipelinedRequests", in: 1...100_000) { maxPipelinedRequests = value }
            if let value = try limits.integer("maxBatchEvents", in: 1...1_000_000) { maxBatchEvents = value }
            if let value = try limits.seconds("subscriberStallSeconds") { subscriberStallSeconds = value }
            if let value = try limits.integer("maxConsumers", in: 0...1_000_000) { maxConsumers = value }
            if let value = try limits.seconds("shutdownGraceSeconds") { shutdownGraceSeconds = value }
            guard reservedOpsConnections < maxConnections else {
                throw ConfigurationError(
                    key: "limits.reservedOpsConnections",
                    "must be less than limits.maxConnections (\(maxConnections))"
                )
            }
        }
        if let storageSection = try root.section("storage") {
            try storageSection.expectKeys(["mapSizeMiB", "maxMapSizeMiB", "maxReaders", "writerNice"])
            if let value = try storageSection.integer("mapSizeMiB", in: 1...(1 << 24)) { storage.mapSize = value << 20 }
            if let value = try storageSection.integer("maxMapSizeMiB", in: 1...(1 << 24)) {
                storage.maxMapSize = value << 20
            }
            if let value = try storageSection.integer("maxReaders", in: 1...100_000) {
                storage.maxReaders = UInt32(value)
            }
            if let value = try storageSection.integer("writerNice", in: -20...19) { writerNice = Int32(value) }
            guard storage.maxMapSize >= storage.mapSize else {
                throw ConfigurationError(key: "storage.maxMapSizeMiB", "must be at least storage.mapSizeMiB")
            }
        }
        if let section = try root.section("checkpoints") { try checkpoints.apply(section) }
        if let section = try root.section("tls") { tls = try Self.tlsSettings(section) }
        if let replication = try root.section("replication") {
            try replication.expectKeys([
                "primary", "syncFollowers", "syncTimeoutMs", "onSyncTimeout", "certificateFile", "keyFile", "caFile",
                "address",
            ])
            if let value = try replication.string("address") {
                try Self.checkPrimaryAddress(value, key: replication.key("address"))
                advertisedAddress = value
            }
            if let value = try replication.string("primary") {
                try Self.checkPrimaryAddress(value, key: replication.key("primary"))
                replicationPrimary = value
            }
            replicationTLS = try Self.replicationTLS(replication)
            if let value = try replication.integer("syncFollowers", in: 0...16) { syncReplication.followers = value }
            if let value = try replication.integer("syncTimeoutMs", in: 1...3_600_000) {
                syncReplication.timeout = .milliseconds(value)
            }
            if let value = try replication.string("onSyncTimeout") {
                guard ["degrade", "block"].contains(value) else {
                    throw ConfigurationError(key: replication.key("onSyncTimeout"), "must be degrade or block")
                }
                syncReplication.blocks = value == "block"
            }
        }
        if let log = try root.section("log") {
            try log.expectKeys(["level", "format"])
            if let value = try log.string("level") {
                let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
                guard levels.contains(value) else {
                    throw ConfigurationError(key: "log.level", "must be one of \(levels.joined(separator: ", "))")
                }
                logLevel = value
            }
            if let value = try log.string("format") {
                guard let format = LogFormat(rawValue: value) else {
                    throw ConfigurationError(key: "log.format", "must be text or json")
                }
                logFormat = format
            }
        }
        if let metrics = try root.section("metrics") {
            try metrics.expectKeys(["file", "intervalSeconds", "address", "healthMaxProjectionLagSeconds"])
            if let value = try metrics.string("file") { metricsFile = value }
            if let value = try metrics.seconds("intervalSeconds") { metricsIntervalSeconds = value }
            if let value = try metrics.string("address") {
                metricsAddress = try ListenAddress(value, key: metrics.key("address"))
            }
            if let value = try metrics.seconds("healthMaxProjectionLagSeconds") {
                healthMaxProjectionLagSeconds = value
            }
        }
    }
}

extension ServerConfiguration {
    /// The longest socket path the kernel takes: `sun_path` holds 108 bytes, the last a NUL.
    public static let maxSocketPathBytes = 107

    /// Refuses a primary's address that is neither a socket path nor `tls://HOST:PORT`, naming `key`
    /// (`replication.primary` or `--follow`).
    /// - Throws: `ConfigurationError`.
    public static func checkPrimaryAddress(_ address: String, key: String) throws(ConfigurationError) {
        guard address.hasPrefix(Self.tlsScheme) else { return try checkSocketPath(address, key: key) }
        let hostAndPort = address.dropFirst(Self.tlsScheme.count)
        guard let colon = hostAndPort.lastIndex(of: ":"), !hostAndPort[..<colon].isEmpty,
            UInt16(hostAndPort[hostAndPort.index(after: colon)...]).map({ $0 > 0 }) == true
        else {
            throw ConfigurationError(
                key: key,
                "must be a socket path or tls://HOST:PORT, got \"\(address.prefix(64))\""
            )
        }
    }

    /// The scheme of a TLS address: `tls://HOST:PORT`.
    public static let tlsScheme = "tls://"

    /// Refuses a socket path the kernel cannot bind, naming `key` (`socket.path` or `--socket`).
    /// - Throws: `ConfigurationError`.
    public static func checkSocketPath(_ path: String, key: String) throws(ConfigurationError) {
        guard path.utf8.count <= maxSocketPathBytes else {
            throw ConfigurationError(
                key: key,
                "is \(path.utf8.count) bytes; a Unix socket path may have at most \(maxSocketPathBytes) "
                    + "(choose a shorter directory, e.g. /run/ledgerd/ledgerd.sock)"
            )
        }
    }
}

/// Typed access to one object of the configuration file, naming keys in errors.
struct ConfigReader {
    let prefix: String
    let object: [String: JSONValue]

    init(prefix: String, value: JSONValue) {
        self.prefix = prefix
        self.object = value.objectValue ?? [:]
    }

    func key(_ name: String) -> String { prefix.isEmpty ? name : "\(prefix).\(name)" }

    func expectKeys(_ allowed: Set<String>) throws(ConfigurationError) {
        for name in object.keys.sorted() where !allowed.contains(name) {
            throw ConfigurationError(
                key: key(name),
                "unknown key (allowed here: \(allowed.sorted().joined(separator: ", ")))"
            )
        }
    }

    func section(_ name: String) throws(ConfigurationError) -> ConfigReader? {
        guard let value = object[name] else { return nil }
        guard case .object = value else { throw ConfigurationError(key: key(name), "must be an object") }
        return ConfigReader(prefix: key(name), value: value)
    }

    func string(_ name: String) throws(ConfigurationError) -> String? {
        guard let value = object[name] else { return nil }
        guard let text = value.stringValue, !text.isEmpty else {
            throw ConfigurationError(key: key(name), "must be a non-empty string")
        }
        return text
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int? {
        guard let value = object[name] else { return nil }
        guard let number = value.int64Value, range.contains(Int(number)) else {
            throw ConfigurationError(
                key: key(name),
                "must be an integer from \(range.lowerBound) to \(range.upperBound)"
            )
        }
        return Int(number)
    }

    func seconds(_ name: String) throws(ConfigurationError) -> Double? {
        guard let value = object[name] else { return nil }
        guard case .number(let number) = value, let seconds = number.double, seconds > 0, seconds <= 3600 else {
            throw ConfigurationError(key: key(name), "must be a number of seconds from 0 to 3600")
        }
        return seconds
    }

    /// An object of names to roles (`roles.users`, `tls.roles.names`, ...), each name `resolve`d to its key (a uid,
    /// a gid, or itself); a name it cannot resolve is refused.
    func roles<Key: Hashable>(
        _ name: String,
        resolve: (String) -> Key?
    ) throws(ConfigurationError) -> [Key: Role] {
        guard let value = object[name] else { return [:] }
        guard let entries = value.objectValue else { throw ConfigurationError(key: key(name), "must be an object") }
        var result = [Key: Role]()
        for (who, roleValue) in entries {
            guard let text = roleValue.stringValue, let role = Role(rawValue: text) else {
                throw ConfigurationError(key: "\(key(name)).\(who)", Role.choices)
            }
            guard let id = resolve(who) else {
                throw ConfigurationError(
                    key: "\(key(name)).\(who)",
                    "no such \(name == "users" ? "user" : "group") on this system"
                )
            }
            result[id] = role
        }
        return result
    }
}
