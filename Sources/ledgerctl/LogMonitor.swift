import LedgerClient
import LedgerJSON
import LedgerProofs

/// One run of `ledgerctl monitor`: the head's signed checkpoint (or the newest cosigned one) must extend the last one
/// verified; with `rehash`, the events since then must hash to its root.
struct LogMonitor {
    let history: CheckpointHistory
    let policy: WitnessPolicy?
    let rehash: Bool
    let state: StateDirectory

    /// Events read a page at a time while rehashing.
    static let pageSize = 1000

    /// Checks the log and saves what it verified; returns the line to print.
    /// - Throws: a failure (exit 1) naming the inconsistency; connection failures.
    func run(_ ledger: LedgerConnection) async throws -> String {
        var (note, _, checkpoint) = try await history.head(ledger)
        let previous = try state.read("checkpoint").map {
            try history.verified($0, what: "the checkpoint verified before").1
        }
        if let policy {
            let floor = try previous ?? Checkpoint(origin: checkpoint.origin, size: 0, root: .emptyTree)
            (checkpoint, note) = try await policy.newestCosigned(ledger, head: (checkpoint, note), trusted: floor)
        }
        var detail = ""
        var tree: MerkleTree?
        // Rehashing proves the extension only from a kept tree that was the previous checkpoint's.
        var proved = false
        if rehash {
            let restored = try restoredTree(matching: previous)
            proved = restored != nil
            var rebuilt = restored ?? MerkleTree()
            let before = rebuilt.size
            try await extend(&rebuilt, to: checkpoint, ledger)
            detail = "; \(Format.count(Int(clamping: rebuilt.size - before))) new events rehashed to its root"
            tree = rebuilt
        }
        if let previous {
            try await history.checkExtends(previous, with: checkpoint, ledger, what: "verified before", proved: proved)
        }
        try state.write("checkpoint", note)
        if let tree { try state.write("tree.json", Self.json(tree)) }
        let since = previous.map { "consistent with size \($0.size) verified before" } ?? "first checkpoint kept"
        return "OK \(checkpoint.origin) at size \(checkpoint.size) root \(checkpoint.root): \(since)\(detail)"
    }

    /// The tree kept in the state when it is the previous checkpoint's; nil otherwise (rehash from the start).
    private func restoredTree(matching previous: Checkpoint?) throws(CommandFailure) -> MerkleTree? {
        guard let previous, let text = try state.read("tree.json"), let json = try? JSONParser.parse(text),
            let size = json["size"]?.int64Value, size >= 0,
            let hashes = json["frontier"]?.arrayValue?.compactMap({ $0.stringValue.flatMap(MerkleHash.init(hex:)) }),
            let tree = MerkleTree(size: UInt64(size), frontier: hashes),
            tree.size == previous.size, tree.root == previous.root
        else { return nil }
        return tree
    }

    /// Appends the leaf hash of every event after `tree` up to `checkpoint`'s size, then demands its root.
    private func extend(_ tree: inout MerkleTree, to checkpoint: Checkpoint, _ ledger: LedgerConnection) async throws {
        guard checkpoint.size >= tree.size else {
            throw CommandFailure.refused(
                "the log shrank from \(tree.size) events, rehashed before, to \(checkpoint.size)"
            )
        }
        while tree.size < checkpoint.size {
            let wanted = Int(clamping: min(UInt64(Self.pageSize), checkpoint.size - tree.size))
            let page = try await ledger.readAll(from: tree.size + 1, limit: wanted)
            guard !page.events.isEmpty else {
                throw CommandFailure.refused(
                    "the ledger sent no event at position \(tree.size + 1) of \(checkpoint.size)"
                )
            }
            for event in page.events {
                guard event.position == tree.size + 1 else {
                    throw CommandFailure.refused(
                        "the ledger sent event \(event.position) where \(tree.size + 1) was due"
                    )
                }
                tree.append(MerkleHash.leaf(event.bytes))
            }
        }
        guard tree.root == checkpoint.root else {
            throw CommandFailure.refused(
                "the \(checkpoint.size) events the ledger serves hash to root \(tree.root), not the signed root "
                    + "\(checkpoint.root): what it serves is not what it signed"
            )
        }
    }

    private static func json(_ tree: MerkleTree) -> String {
        let value: JSONValue = [
            "size": .number(JSONNumber(tree.size)), "frontier": .array(tree.frontier.map { .string($0.description) }),
        ]
        return value.canonicalString + "\n"
    }
}
