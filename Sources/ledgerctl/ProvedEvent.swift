import LedgerClient
import LedgerProofs

/// An event with what proves it is in a signed tree: its exact bytes, leaf hash and inclusion proof, as an audit pack
/// and an evidence bundle carry it.
struct ProvedEvent {
    /// Its log position (leaf `position - 1`).
    var position: UInt64
    /// Its exact stored bytes (the JSON after `EVENT `), as text.
    var bytes: String
    /// `SHA-256(0x00 || bytes)`, hex.
    var leaf: String
    /// The inclusion proof's hashes, hex, leaf to root.
    var proof: [String]

    /// The event at `position` and its inclusion proof in `checkpoint`, both checked here first.
    /// - Throws: a failure (exit 1) when the daemon sends no such event, or the proof does not verify.
    static func load(
        _ position: UInt64,
        _ ledger: LedgerConnection,
        in checkpoint: Checkpoint
    ) async throws -> ProvedEvent {
        guard let event = try await ledger.readAll(from: position, limit: 1).events.first, event.position == position
        else { throw CommandFailure.refused("the daemon sent no event at position \(position)") }
        let proof = try await ledger.inclusionProof(position: position, treeSize: checkpoint.size)
        try EventInclusion.verify(event, proof: proof, treeSize: checkpoint.size, root: checkpoint.root)
        let text = String(decoding: event.bytes, as: UTF8.self)
        guard Array(text.utf8) == event.bytes else {
            throw CommandFailure.refused("event \(position)'s bytes are not UTF-8 text")
        }
        return ProvedEvent(
            position: position,
            bytes: text,
            leaf: MerkleHash.leaf(event.bytes).description,
            proof: proof.path.map(\.description)
        )
    }
}
