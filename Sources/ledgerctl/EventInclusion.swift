import LedgerClient
import LedgerProofs

/// Checks, on this side, that an event is in a tree: its leaf hash is computed from its own bytes and the proof
/// is walked up to a root the caller trusts.
enum EventInclusion {
    /// Verifies `proof` for `event` against `root` of the tree of `treeSize` events.
    /// - Throws: a failure (exit 1) saying what does not match.
    static func verify(
        _ event: LedgerEvent,
        proof: InclusionProof,
        treeSize: UInt64,
        root: MerkleHash
    ) throws(CommandFailure) {
        let leaf = MerkleHash.leaf(event.bytes)
        let what = "event \(event.position) (\(event.stream) v\(event.version))"
        guard proof.index == event.position - 1, proof.treeSize == treeSize else {
            throw .refused("\(what): the daemon sent a proof for leaf \(proof.index) of size \(proof.treeSize)")
        }
        do {
            try MerkleProofs.verifyInclusion(
                leafHash: leaf,
                index: event.position - 1,
                treeSize: treeSize,
                proof: proof.path,
                root: root
            )
        } catch {
            throw .refused("\(what) is not in the tree of size \(treeSize) with root \(root): \(error)")
        }
    }
}
