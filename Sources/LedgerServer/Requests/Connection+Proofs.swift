import EventLog
import LedgerJSON
import LedgerProofs
import LedgerProtocol
import NIOCore
import NIOPosix

extension Connection {
    /// `PROVE <position> [size]`: the inclusion proof of one event in the tree of `size` events.
    func prove(position: UInt64, size: UInt64?, outbound: Outbound) async throws {
        let log = ports.log
        switch try await Self.offload({ () throws(EventLogError) in
            try log.inclusionProof(position: position, treeSize: size)
        }) {
        case .success(let proof):
            try await send(
                ok: [
                    "index": .number(.init(proof.index)), "leaf": .string(proof.leafHash.description),
                    "position": .number(.init(position)), "proof": .array(proof.path.map { .string($0.description) }),
                    "root": .string(proof.root.description), "size": .number(.init(proof.treeSize)),
                ],
                to: outbound
            )
        case .failure(let error):
            try await send(error: error.wire, to: outbound)
        }
    }

    /// `CONSISTENCY <old-size> [new-size]`: the proof that the older tree is a prefix of the newer one.
    func consistency(oldSize: UInt64, newSize: UInt64?, outbound: Outbound) async throws {
        let log = ports.log
        switch try await Self.offload({ () throws(EventLogError) in
            let head = log.head.position
            guard oldSize <= head else { throw .beyondHead(requested: oldSize, head: head) }
            return try log.consistencyProof(from: oldSize, to: newSize)
        }) {
        case .success(let proof):
            try await send(
                ok: [
                    "new": .number(.init(proof.newSize)), "newRoot": .string(proof.newRoot.description),
                    "old": .number(.init(proof.oldSize)), "oldRoot": .string(proof.oldRoot.description),
                    "proof": .array(proof.path.map { .string($0.description) }),
                ],
                to: outbound
            )
        case .failure(let error):
            try await send(error: error.wire, to: outbound)
        }
    }

    /// `CHECKPOINT [size]`: the signed checkpoint of that size (default: the head), or size and root with
    /// `"note":null` when the daemon has no signing key.
    func checkpoint(size: UInt64?, outbound: Outbound) async throws {
        let log = ports.log
        let host = ports.checkpoints
        switch try await Self.offload({ () throws(EventLogError) -> JSONValue? in
            guard host.isSigning else {
                let treeSize = size ?? log.head.position
                let root = try log.root(size: treeSize)
                return ["note": nil, "root": .string(root.description), "size": .number(.init(treeSize))]
            }
            guard let record = try host.signedCheckpoint(size: size) else { return nil }
            let checkpoint: Checkpoint
            do {
                checkpoint = try Checkpoint(parsing: SignedNote(parsing: record.note).text)
            } catch {
                throw .integrity(position: record.size, message: "the stored checkpoint is malformed: \(error)")
            }
            return [
                "note": .string(record.note), "root": .string(checkpoint.root.description),
                "size": .number(.init(record.size)),
            ]
        }) {
        case .success(let reply?):
            try await send(ok: reply, to: outbound)
        case .success(nil):
            let message = "no checkpoint of size \(size ?? 0) was signed; CHECKPOINT without a size signs the head"
            try await send(error: ProtocolError(.notFound, message), to: outbound)
        case .failure(let error):
            try await send(error: error.wire, to: outbound)
        }
    }

    /// `CHECKPOINTS [from-size] [limit]`: the signed checkpoints stored for sizes from `from` up, at most `limit`
    /// (and at most 100), with `next`, the size to list from next.
    func checkpoints(from: UInt64, limit: Int?, outbound: Outbound) async throws {
        let host = ports.checkpoints
        let wanted = limit ?? CheckpointHost.listLimit
        switch try await Self.offload({ () throws(EventLogError) in
            try host.signedCheckpoints(from: from, limit: wanted)
        }) {
        case .success(let records):
            let next = records.last.map { $0.size &+ 1 } ?? from
            try await send(
                ok: [
                    "checkpoints": .array(
                        records.map { ["note": .string($0.note), "size": .number(.init($0.size))] }
                    ),
                    "next": .number(.init(next)),
                ],
                to: outbound
            )
        case .failure(let error):
            try await send(error: error.wire, to: outbound)
        }
    }

    /// `COSIGN <size> <witness> <signature>`: stores a configured witness's cosignature of the checkpoint of `size`;
    /// answers the size, the witness, the cosignature's time and how many signature lines the note now has.
    func cosign(size: UInt64, witness: String, signature: String, outbound: Outbound) async throws {
        let host = ports.checkpoints
        let outcome = try await NIOThreadPool.singleton.runIfActive {
            Result { () throws(ProtocolError) in try host.cosign(size: size, witness: witness, signature: signature) }
        }
        switch outcome {
        case .success(let (record, time)):
            let lines = (try? SignedNote(parsing: record.note).signatures.count) ?? 0
            try await send(
                ok: [
                    "size": .number(.init(size)), "witness": .string(witness), "time": .number(.init(time)),
                    "signatures": .number(.init(lines)),
                ],
                to: outbound
            )
        case .failure(let error):
            try await send(error: error, to: outbound)
        }
    }

    /// Runs `body` on the blocking thread pool: proofs and past roots read LMDB (`O(log n)` subtree roots and leaf
    /// hashes).
    private static func offload<Value: Sendable>(
        _ body: @escaping @Sendable () throws(EventLogError) -> Value
    ) async throws -> Result<Value, EventLogError> {
        try await NIOThreadPool.singleton.runIfActive { Result { () throws(EventLogError) in try body() } }
    }
}
