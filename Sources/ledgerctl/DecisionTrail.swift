import ArgumentParser
import LedgerClient
import LedgerJSON

/// The log positions of a case's or contract's decision trail: every event `ledgerctl history` lists (across the
/// case's requirement and contract streams) and, for a case, every event of stream `case-<ID>`.
enum DecisionTrail {
    /// What a trail is of.
    enum Scope: String, ExpressibleByArgument, CaseIterable {
        case `case`, contract
    }

    /// The trail's entries (`QUERY audit <scope> <id>` rows) and the positions of all its events, in log order.
    static func load(
        _ scope: Scope,
        _ id: String,
        _ ledger: LedgerConnection
    ) async throws -> (entries: [JSONValue], positions: [UInt64]) {
        let entries: [JSONValue]
        do {
            entries = try await ledger.query(["audit", scope.rawValue, id]).rows
        } catch {
            // No case entity: its stream alone, empty unless the ledger holds x- events appended to it before they
            // needed their entity to exist.
            guard scope == .case, error.code == .notFound else { throw error }
            entries = []
        }
        var positions = Set<UInt64>()
        for entry in entries {
            if let position = entry["position"]?.int64Value, position > 0 { positions.insert(UInt64(position)) }
        }
        if scope == .case {
            var next: UInt64 = 1
            while true {
                let page = try await ledger.read(stream: "case-\(id)", fromVersion: next, limit: ReadCommand.pageSize)
                positions.formUnion(page.events.map(\.position))
                if page.events.count < ReadCommand.pageSize || page.next <= next { break }
                next = page.next
            }
        }
        return (entries, positions.sorted())
    }
}
