import LedgerProtocol

extension LedgerConnection {
    /// `BACKUP <name>`: a hot, compacted copy of the log and its manifest in the daemon's backup directory (ops role).
    /// - Throws: `LedgerClientError.server` with `.badRequest` for a bad or taken name, `.forbidden`, `.storageFull`.
    public func backup(name: String) async throws(LedgerClientError) -> BackupResult {
        let json = try await ok(.backup(name: name))
        return BackupResult(
            name: try json.string("name", in: "BACKUP"),
            path: try json.string("path", in: "BACKUP"),
            position: try json.unsigned("position", in: "BACKUP"),
            root: try json.string("root", in: "BACKUP"),
            bytes: try json.unsigned("bytes", in: "BACKUP")
        )
    }

    /// `METRICS`: the daemon's metrics in the Prometheus text exposition format (ops role).
    public func metrics() async throws(LedgerClientError) -> String {
        try await ok(.metrics).string("text", in: "METRICS")
    }
}
