import LedgerJSON
import LedgerProofs
import LedgerProtocol

extension LedgerConnection {
    /// `PROVE`: the daemon's inclusion proof that the event at `position` is in the tree of `treeSize` events
    /// (nil: the head).
    ///
    /// Nothing is verified: hash the event's bytes yourself and check the proof with
    /// `MerkleProofs.verifyInclusion` against a root from a verified checkpoint.
    /// - Throws: `LedgerClientError.server` with `.notFound` past the head, `.badRequest` for position 0 or a
    ///   position past `treeSize`.
    public func inclusionProof(
        position: UInt64,
        treeSize: UInt64? = nil
    ) async throws(LedgerClientError) -> InclusionProof {
        let json = try await ok(.prove(position: position, size: treeSize))
        return InclusionProof(
            index: try json.unsigned("index", in: "PROVE"),
            treeSize: try json.unsigned("size", in: "PROVE"),
            leafHash: try json.hash("leaf", in: "PROVE"),
            root: try json.hash("root", in: "PROVE"),
            path: try json.hashes("proof", in: "PROVE")
        )
    }

    /// `CONSISTENCY`: the daemon's proof that the tree of `oldSize` events is a prefix of the tree of `newSize`
    /// (nil: the head).
    ///
    /// Nothing is verified: check it with `MerkleProofs.verifyConsistency` against the roots of two verified
    /// checkpoints, not the roots in the reply.
    /// - Throws: `LedgerClientError.server` with `.notFound` past the head, `.badRequest` when `oldSize > newSize`.
    public func consistencyProof(
        from oldSize: UInt64,
        to newSize: UInt64? = nil
    ) async throws(LedgerClientError) -> ConsistencyProof {
        let json = try await ok(.consistency(oldSize: oldSize, newSize: newSize))
        return ConsistencyProof(
            oldSize: try json.unsigned("old", in: "CONSISTENCY"),
            newSize: try json.unsigned("new", in: "CONSISTENCY"),
            oldRoot: try json.hash("oldRoot", in: "CONSISTENCY"),
            newRoot: try json.hash("newRoot", in: "CONSISTENCY"),
            path: try json.hashes("proof", in: "CONSISTENCY")
        )
    }

    /// `CHECKPOINT`: the daemon's signed checkpoint of tree size `size` (nil: the head), unverified.
    /// - Throws: `LedgerClientError.server` with `.notFound` when the size is past the head or no checkpoint of
    ///   that past size was signed.
    public func checkpoint(size: UInt64? = nil) async throws(LedgerClientError) -> ServerCheckpoint {
        let json = try await ok(.checkpoint(size: size))
        let note: String?
        switch json["note"] {
        case .string(let text): note = text
        case .null: note = nil
        default: throw .protocolViolation("CHECKPOINT reply without a string or null \"note\"")
        }
        return ServerCheckpoint(
            size: try json.unsigned("size", in: "CHECKPOINT"),
            root: try json.hash("root", in: "CHECKPOINT"),
            note: note
        )
    }

    /// `COSIGN` (the `witness` role): hands the daemon this witness's cosignature of the checkpoint of `size`, which
    /// it stores and serves as an extra signature line of that checkpoint's note.
    /// - Returns: the cosignature's time and how many signature lines the note now has.
    /// - Throws: `LedgerClientError.server` with `.badRequest` when the daemon does not know the witness or the
    ///   cosignature does not verify, `.notFound` when no checkpoint of that size was signed.
    public func cosign(
        size: UInt64,
        _ cosignature: SignedNote.Signature
    ) async throws(LedgerClientError) -> (time: UInt64, signatures: Int) {
        let json = try await ok(
            .cosign(size: size, witness: cosignature.keyName, signature: cosignature.encodedSignature)
        )
        return (try json.unsigned("time", in: "COSIGN"), Int(clamping: try json.unsigned("signatures", in: "COSIGN")))
    }

    /// `CHECKPOINTS`: up to `limit` (the daemon sends at most 100) of the signed checkpoints the daemon stored, of
    /// sizes from `size` up, each with its cosignatures, unverified; `next` is the size to list from next.
    public func checkpoints(
        from size: UInt64 = 0,
        limit: Int? = nil
    ) async throws(LedgerClientError) -> (checkpoints: [(size: UInt64, note: String)], next: UInt64) {
        let json = try await ok(.checkpoints(from: size, limit: limit))
        guard let items = json["checkpoints"]?.arrayValue else {
            throw .protocolViolation("CHECKPOINTS reply without a \"checkpoints\" array")
        }
        var checkpoints = [(size: UInt64, note: String)]()
        for item in items {
            guard let note = item["note"]?.stringValue else {
                throw .protocolViolation("CHECKPOINTS reply with a checkpoint without a \"note\"")
            }
            checkpoints.append((try item.unsigned("size", in: "CHECKPOINTS"), note))
        }
        return (checkpoints, try json.unsigned("next", in: "CHECKPOINTS"))
    }
}
