import LedgerJSON
import LedgerProofs

/// An evidence bundle: the events of a decision trail with their inclusion proofs and the signed checkpoint (with
/// its cosignatures) they are proved in, as one JSON object that anyone can verify offline (`Protocols/proofs.md`,
/// "Evidence bundles").
struct EvidenceBundle {
    /// The format's name, the bundle's `format` member.
    static let format = "commissioning-ledger/evidence-bundle/v1"

    /// What the bundle is of, e.g. `case C000004`.
    var subject: String
    /// The signed note of the checkpoint the events are proved in.
    var checkpoint: String
    /// The log's key (`name+hex id`) and the witnesses' whose cosignatures were checked when it was made.
    var logKey: String
    var witnessKeys: [String]
    var events: [ProvedEvent]

    /// The bundle as canonical JSON, one line.
    var json: String {
        let events = events.map { event -> JSONValue in
            [
                "position": .number(JSONNumber(event.position)), "event": .string(event.bytes),
                "leaf": .string(event.leaf), "proof": .array(event.proof.map(JSONValue.string)),
            ]
        }
        let value: JSONValue = [
            "format": .string(Self.format), "subject": .string(subject), "checkpoint": .string(checkpoint),
            "logKey": .string(logKey), "witnessKeys": .array(witnessKeys.map(JSONValue.string)),
            "events": .array(events),
        ]
        return value.canonicalString
    }

    /// Verifies a bundle's text with the log's key (and, with a policy, a quorum of cosignatures), offline.
    /// - Returns: the bundle's subject, its checkpoint and the witnesses that cosigned it.
    /// - Throws: a failure (exit 1) naming the first thing that does not verify.
    static func verify(
        _ text: String,
        key: NoteVerifier,
        witnesses policy: WitnessPolicy?
    ) throws(CommandFailure) -> (subject: String, checkpoint: Checkpoint, events: Int, cosigners: [String]) {
        guard let bundle = try? JSONParser.parse(text), bundle["format"]?.stringValue == format else {
            throw .refused("not an evidence bundle (JSON with \"format\":\"\(format)\")")
        }
        let subject = bundle["subject"]?.stringValue ?? "?"
        let (note, checkpoint) = try CheckpointHistory(logKey: key)
            .verified(bundle["checkpoint"]?.stringValue ?? "", what: "the bundle's checkpoint")
        var cosigners = [String]()
        if let policy {
            cosigners = policy.cosigners(of: note).map(\.name)
            guard cosigners.count >= policy.quorum else {
                throw .refused(
                    "the bundle's checkpoint has cosignatures from \(cosigners.count) of the \(policy.witnesses.count) "
                        + "witnesses, fewer than the quorum of \(policy.quorum)"
                )
            }
        }
        guard let events = bundle["events"]?.arrayValue, !events.isEmpty else {
            throw .refused("the bundle holds no events")
        }
        for (index, event) in events.enumerated() {
            try verify(event, number: index + 1, in: checkpoint)
        }
        return (subject, checkpoint, events.count, cosigners)
    }

    /// Checks one event: its bytes hash to its stated leaf, and its proof leads from that leaf to the signed root.
    private static func verify(_ event: JSONValue, number: Int, in checkpoint: Checkpoint) throws(CommandFailure) {
        guard let position = event["position"]?.int64Value, position >= 1, UInt64(position) <= checkpoint.size else {
            throw .refused("event \(number) of the bundle has no position within the checkpoint's \(checkpoint.size)")
        }
        let what = "event \(position)"
        guard let bytes = event["event"]?.stringValue else { throw .refused("\(what) has no bytes (\"event\")") }
        guard let proofValues = event["proof"]?.arrayValue else { throw .refused("\(what) has no inclusion proof") }
        let proof = proofValues.compactMap { $0.stringValue.flatMap(MerkleHash.init(hex:)) }
        guard proof.count == proofValues.count else {
            throw .refused("\(what): its inclusion proof holds something other than 32-byte hex hashes")
        }
        let leaf = MerkleHash.leaf(Array(bytes.utf8))
        guard event["leaf"]?.stringValue == leaf.description else {
            throw .refused("\(what): its bytes hash to \(leaf), not to the leaf hash the bundle states")
        }
        do {
            try MerkleProofs.verifyInclusion(
                leafHash: leaf,
                index: UInt64(position) - 1,
                treeSize: checkpoint.size,
                proof: proof,
                root: checkpoint.root
            )
        } catch {
            throw .refused("\(what): its inclusion proof does not lead to the signed root (\(error))")
        }
    }
}
