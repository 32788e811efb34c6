import EventLog
import Foundation
import KeyFiles
import LedgerProofs
import LedgerProtocol
import Logging
import Synchronization

/// Signs and keeps the log's checkpoints.
///
/// With a signing key, one thread signs the head whenever it has moved and either `everySeconds` have passed since
/// the last signature or `everyEvents` events were appended since, and once more at shutdown. Every note it signs,
/// including those signed on demand for `CHECKPOINT`, is stored through the writer (`checkpoints-signed`), so the
/// log keeps the evidence of everything it ever vouched for. Without a key it signs nothing.
final class CheckpointHost: Sendable {
    private struct State: Sendable {
        /// The last checkpoint signed or found stored at start.
        var last: SignedCheckpointRecord?
        var lastSignedAt: ContinuousClock.Instant
        /// The Unix time of `lastSignedAt`, for metrics.
        var lastSignedTime: Double
        var stopping = false
    }

    private let log: EventLog
    private let logger: Logger
    private let signer: CheckpointSigner?
    /// Keys that sign every checkpoint beside `signer` (`checkpoints.additionalKeyFiles`): a rotation's overlap.
    private let additionalSigners: [CheckpointSigner]
    private let origin: String
    private let settings: CheckpointSettings
    private let state: Mutex<State>
    private let writer = Mutex<GroupCommitWriter?>(nil)
    /// Notes cosigned lately, by size, until the writer has surely stored them (the newest `recentCosigned`); held
    /// while a cosignature is added, so that two witnesses cosigning one checkpoint do not lose either line.
    private let cosigned = Mutex<[UInt64: SignedCheckpointRecord]>([:])
    private let signal = NSCondition()
    /// Opened when the signing thread has stopped.
    private let stopped = Latch()

    /// Loads the signing key and the last stored checkpoint.
    /// - Throws: `StartupError.signingKey` when the key file is unsafe or unusable, `.configuration` for an invalid
    ///   origin, `.dataDirectoryUnusable` when the stored checkpoints cannot be read.
    init(log: EventLog, settings: CheckpointSettings, logger: Logger) throws(StartupError) {
        self.log = log
        self.logger = logger
        self.settings = settings
        do {
            signer = try settings.keyFile.map { path throws(SigningKeyError) in try SigningKeyFile.load(path) }
            additionalSigners = try settings.additionalKeyFiles.map { path throws(SigningKeyError) in
                try SigningKeyFile.load(path)
            }
        } catch {
            throw .signingKey(error.description)
        }
        guard signer != nil || additionalSigners.isEmpty else {
            throw .configuration("configuration key checkpoints.additionalKeyFiles: needs checkpoints.keyFile")
        }
        origin = settings.origin ?? signer?.name ?? SigningKeyFile.defaultName
        do {
            _ = try Checkpoint(origin: origin, size: 0, root: .emptyTree)
        } catch {
            throw .configuration("configuration key checkpoints.origin: \(error)")
        }
        do {
            let last = try log.latestSignedCheckpoint()
            state = Mutex(State(last: last, lastSignedAt: .now, lastSignedTime: Date().timeIntervalSince1970))
        } catch {
            throw .dataDirectoryUnusable("cannot read the signed checkpoints: \(error)")
        }
    }

    /// Whether checkpoints are signed (a key is configured).
    var isSigning: Bool { signer != nil }

    /// The tree size of the last checkpoint signed (or found stored at start) and the Unix time it was signed (or the
    /// daemon started); zeros without a key.
    var lastSigned: (size: UInt64, time: Double) {
        guard signer != nil else { return (0, 0) }
        return state.withLock { ($0.last?.size ?? 0, $0.lastSignedTime) }
    }

    /// Starts the signing thread (`ledger-sign`, when there is a key); notes are stored through `writer`.
    func start(saving writer: GroupCommitWriter) {
        self.writer.withLock { $0 = writer }
        guard signer != nil else { return }
        NamedThread.start("ledger-sign") { [self] in run() }
    }

    /// Wakes the signing thread: the head has moved.
    func headMoved() {
        signal.lock()
        signal.signal()
        signal.unlock()
    }

    /// Signs a last checkpoint if the head moved and stops the thread. Call before the writer shuts down.
    func stop() async {
        guard signer != nil else { return }
        state.withLock { $0.stopping = true }
        headMoved()
        await stopped.wait()
    }

    /// The signed checkpoint of tree size `size` (nil: the head): the stored one, or for the head a new one.
    /// - Returns: nil when there is no key, or no checkpoint of that past size was signed.
    /// - Throws: `EventLogError.beyondHead` for a size past the head; storage and signing failures.
    func signedCheckpoint(size: UInt64?) throws(EventLogError) -> SignedCheckpointRecord? {
        guard signer != nil else { return nil }
        let head = log.head
        let wanted = size ?? head.position
        guard wanted <= head.position else { throw .beyondHead(requested: wanted, head: head.position) }
        if let last = state.withLock({ $0.last }), last.size == wanted { return last }
        if let recent = cosigned.withLock({ $0[wanted] }) { return recent }
        if let stored = try log.signedCheckpoint(size: wanted) { return stored }
        guard wanted == head.position else { return nil }
        return try sign(head)
    }

    /// The most checkpoints one `CHECKPOINTS` lists.
    static let listLimit = 100

    /// Up to `limit` (at most `listLimit`) signed checkpoints of sizes from `size` up, in order, each as served: the
    /// stored note, or the one just signed or cosigned that the writer has not stored yet.
    func signedCheckpoints(from size: UInt64, limit: Int) throws(EventLogError) -> [SignedCheckpointRecord] {
        guard signer != nil else { return [] }
        let count = min(limit, Self.listLimit)
        var records = try log.signedCheckpoints(from: size, limit: count)
        let recent = cosigned.withLock { $0 }
        records = records.map { recent[$0.size] ?? $0 }
        // The last one signed is the largest; the writer may not have stored it yet.
        if let last = state.withLock({ $0.last }), last.size >= size, records.count < count,
            !records.contains(where: { $0.size == last.size })
        {
            records.append(last)
        }
        return records
    }

    /// How many cosigned notes are kept in memory beside the writer's queue.
    private static let recentCosigned = 64

    /// Adds witness `name`'s cosignature (base64 of key id, time and signature, as on its signature line) to the
    /// stored checkpoint of `size`, once it verifies with that witness's configured key, and stores the note through
    /// the writer (replacing the witness's earlier cosignature of that size, if any).
    /// - Returns: the cosigned note's record and the cosignature's time.
    /// - Throws: `BAD_REQUEST` for an unknown witness or a cosignature that does not verify, `NOT_FOUND` when no
    ///   checkpoint of that size was signed.
    func cosign(
        size: UInt64,
        witness name: String,
        signature: String
    ) throws(ProtocolError) -> (record: SignedCheckpointRecord, time: UInt64) {
        guard signer != nil else { throw ProtocolError(.badRequest, "this ledger signs no checkpoints to cosign") }
        guard let witness = settings.witnesses.first(where: { $0.name == name }) else {
            throw ProtocolError(.badRequest, "\(name) is not a witness of this ledger (checkpoints.witnesses)")
        }
        guard let line = SignedNote.Signature(keyName: name, encoded: signature), line.bytes.count == 8 + 64 else {
            throw ProtocolError(.badRequest, "a cosignature is base64 of a 4-byte key id, an 8-byte time and 64 bytes")
        }
        guard line.keyID == witness.keyID else {
            throw ProtocolError(.badRequest, "the cosignature's key id is not \(name)'s (checkpoints.witnesses)")
        }
        return try cosigned.withLock { (recent) throws(ProtocolError) in
            let last = state.withLock { $0.last }
            var stored = recent[size] ?? (last?.size == size ? last : nil)
            if stored == nil { stored = try storedCheckpoint(size: size) }
            guard let stored else { throw ProtocolError(.notFound, "no checkpoint of size \(size) was signed") }
            let note: SignedNote
            let time: UInt64
            do {
                // Only the submitted line is verified; the note keeps the witness's one line, this one.
                let stored = try SignedNote(parsing: stored.note)
                time = try witness.verify(SignedNote(text: stored.text, signatures: [line]))
                note = try stored.adding(line)
            } catch {
                throw ProtocolError(
                    .badRequest,
                    "the cosignature does not verify for the checkpoint of size \(size): \(error)"
                )
            }
            let record = SignedCheckpointRecord(size: size, note: note.formatted)
            recent[size] = record
            if recent.count > Self.recentCosigned, let oldest = recent.keys.min() { recent[oldest] = nil }
            state.withLock { if $0.last?.size == size { $0.last = record } }
            writer.withLock { $0 }?.save(record)
            logger.info(
                "checkpoint cosigned",
                metadata: ["size": .stringConvertible(size), "witness": "\(name)", "time": .stringConvertible(time)]
            )
            return (record, time)
        }
    }

    private func storedCheckpoint(size: UInt64) throws(ProtocolError) -> SignedCheckpointRecord? {
        do {
            return try log.signedCheckpoint(size: size)
        } catch {
            throw error.wire
        }
    }

    /// Signs `head` unless its size is already signed, remembers it and queues it to be stored.
    private func sign(_ head: EventLog.Head) throws(EventLogError) -> SignedCheckpointRecord {
        guard let signer else { throw .storage("no signing key") }
        let (record, isNew) = try state.withLock { (state) throws(EventLogError) in
            if let last = state.last, last.size == head.position { return (last, false) }
            let note: SignedNote
            do {
                note = try additionalSigners.reduce(
                    try signer.sign(Checkpoint(origin: origin, size: head.position, root: head.root))
                ) { note, other throws(NoteError) in try note.adding(other.sign(text: note.text).signatures[0]) }
            } catch {
                throw EventLogError.storage("cannot sign the checkpoint: \(error)")
            }
            let record = SignedCheckpointRecord(size: head.position, note: note.formatted)
            state.last = record
            state.lastSignedAt = .now
            state.lastSignedTime = Date().timeIntervalSince1970
            // Queued while the lock is held: a cosigned note of this size, queued later, always replaces it.
            writer.withLock { $0 }?.save(record)
            return (record, true)
        }
        if isNew {
            logger.debug(
                "checkpoint signed",
                metadata: ["size": .stringConvertible(record.size), "root": "\(head.root)"]
            )
        }
        return record
    }

    // MARK: The signing thread

    private func run() {
        while true {
            let stopping = state.withLock { $0.stopping }
            if stopping || isDue() {
                do {
                    let head = log.head
                    if state.withLock({ $0.last?.size }) != head.position { _ = try sign(head) }
                } catch {
                    logger.error("cannot sign a checkpoint", metadata: ["error": "\(error)"])
                }
            }
            if stopping { break }
            sleepUntilDue()
        }
        stopped.open()
    }

    /// Whether the head has moved past the last checkpoint by `everyEvents`, or at all with `everySeconds` gone.
    private func isDue() -> Bool {
        let head = log.head.position
        let (signedSize, signedAt) = state.withLock { ($0.last?.size ?? 0, $0.lastSignedAt) }
        guard head != signedSize else { return false }
        let events = head > signedSize ? head - signedSize : UInt64.max
        return events >= UInt64(settings.everyEvents) || ContinuousClock.now - signedAt >= interval
    }

    private var interval: Duration { .milliseconds(Int64(settings.everySeconds * 1000)) }

    /// Sleeps until the head moves, or the interval since the last signature ends while it has moved; at most a
    /// second.
    private func sleepUntilDue() {
        signal.lock()
        defer { signal.unlock() }
        guard !isDue(), !state.withLock({ $0.stopping }) else { return }
        let (signedSize, signedAt) = state.withLock { ($0.last?.size ?? 0, $0.lastSignedAt) }
        let remaining = (signedAt + interval - ContinuousClock.now) / .seconds(1)
        let seconds = log.head.position == signedSize ? 1 : min(max(remaining, 0.001), 1)
        _ = signal.wait(until: Date(timeIntervalSinceNow: seconds))
    }
}
