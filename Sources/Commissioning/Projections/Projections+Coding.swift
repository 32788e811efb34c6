import LedgerJSON

/// Why encoded projection state could not be decoded.
public struct ProjectionStateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong.
    public let message: String

    public var description: String { message }
}

extension Projections {
    /// The version of the encoded state format.
    static let stateFormat: Int64 = 2

    /// Consecutive recorded facts, encoded: the log position of the first, and their lines of canonical JSON
    /// separated by newlines.
    public struct EncodedFacts: Sendable, Equatable {
        public let firstPosition: UInt64
        public let lines: [UInt8]
    }

    /// The whole state as canonical JSON lines: the header (as in `encodedParts(after:)`), then every fact in log
    /// order, one per line (canonical JSON never holds a raw newline). Deterministic, so a rebuild equals the
    /// incrementally built state byte for byte; line by line, so it can be decoded without one giant JSON tree.
    public func encoded() -> [UInt8] {
        let (count, bytes, lines) = facts.encodedFacts(after: 0)
        var buffer = header(facts: count)
        Self.append(lines[...], of: bytes, to: &buffer)
        return buffer
    }

    /// The state in parts, for a checkpoint that stores only what is new: the header
    /// `{"facts":N,"format":2,"position":P,"recorded":"..."}` and the facts recorded after log position `after`, in
    /// log order, in chunks of at most `factsPerChunk`. Facts never change once recorded, so a checkpoint holding the
    /// facts up to `after` plus these holds `encoded()`'s facts exactly.
    public func encodedParts(after: UInt64, factsPerChunk: Int = 256) -> (header: [UInt8], chunks: [EncodedFacts]) {
        let (count, bytes, lines) = facts.encodedFacts(after: after)
        var chunks = [EncodedFacts]()
        for start in stride(from: 0, to: lines.count, by: max(1, factsPerChunk)) {
            let slice = lines[start..<min(start + max(1, factsPerChunk), lines.count)]
            var joined = [UInt8]()
            Self.append(slice, of: bytes, to: &joined)
            chunks.append(EncodedFacts(firstPosition: slice[slice.startIndex].position, lines: joined))
        }
        return (header(facts: count), chunks)
    }

    /// Appends the `lines` of `bytes` to `buffer`, each after a newline unless `buffer` is empty.
    private static func append(
        _ lines: ArraySlice<(position: UInt64, range: Range<Int>)>,
        of bytes: [UInt8],
        to buffer: inout [UInt8]
    ) {
        buffer.reserveCapacity(buffer.count + lines.reduce(0) { $0 + $1.range.count + 1 })
        for line in lines {
            if !buffer.isEmpty { buffer.append(UInt8(ascii: "\n")) }
            buffer.append(contentsOf: bytes[line.range])
        }
    }

    private func header(facts count: Int) -> [UInt8] {
        var header: [String: JSONValue] = [
            "facts": .int(Int64(count)), "format": .int(Self.stateFormat),
            "position": .int(Int64(clamping: position)), "recorded": .string(lastRecorded),
        ]
        if scope != .everything { header["scope"] = .string(scope.rawValue) }
        return JSONValue.object(header).canonicalBytes
    }

    /// Decodes state written by `encoded()`.
    /// - Throws: `ProjectionStateError` when the bytes are not state of this format.
    public init(decoding bytes: [UInt8]) throws(ProjectionStateError) {
        var restorer = try StateRestorer(header: bytes)
        self = try restorer.finish()
    }

    /// Rebuilds projections from saved state: a header (which may be followed by fact lines, as `encoded()` writes
    /// it), then fact lines in log order; `finish()` checks that the header's position and fact count were reached.
    public struct StateRestorer {
        private var projections: Projections
        /// What the saved state kept: its facts may be more than the restored projections keep.
        public let savedScope: Scope
        /// Whether the saved state holds facts the restored projections keep less of (every fact of a history, or a
        /// creating fact where `.registries` keeps a link): saving them afresh makes the state smaller.
        public private(set) var savedMore = false
        private let position: UInt64
        private let recorded: String
        private let expectedFacts: Int?
        private var restored = 0

        /// Reads the header line of `bytes`, and the fact lines after it if there are any, into projections that keep
        /// `scope` (of saved state that kept as much or more).
        public init(header bytes: [UInt8], scope: Scope = .everything) throws(ProjectionStateError) {
            let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            guard let first = lines.first, let header = try? JSONParser.parse(first),
                header["format"]?.int64Value == Projections.stateFormat, let position = header["position"]?.int64Value,
                position >= 0, let recorded = header["recorded"]?.stringValue,
                let savedScope = Scope(rawValue: header["scope"]?.stringValue ?? Scope.everything.rawValue)
            else { throw ProjectionStateError(message: "not projection state of format \(Projections.stateFormat)") }
            guard scope == .registries || savedScope == .everything else {
                throw ProjectionStateError(message: "the state keeps only the registries, not every fact")
            }
            projections = Projections(scope: scope)
            self.savedScope = savedScope
            savedMore = savedScope != scope
            self.position = UInt64(position)
            self.recorded = recorded
            expectedFacts = header["facts"]?.int64Value.map { Int($0) }
            for line in lines.dropFirst() { try add(line) }
        }

        /// Records the next facts: their lines, separated by newlines.
        public mutating func add(lines bytes: [UInt8]) throws(ProjectionStateError) {
            try add(PreparedFacts(lines: bytes))
        }

        /// Records the next fact line.
        public mutating func add(_ line: ArraySlice<UInt8>) throws(ProjectionStateError) {
            switch try PreparedFacts.item(line) {
            case .fact(var event): try record(&event)
            case .link(let link): try record(link)
            case .taken: break
            }
        }

        /// Records facts prepared (perhaps on another thread) from the next fact lines.
        public mutating func add(_ facts: PreparedFacts) throws(ProjectionStateError) {
            var items = try facts.items.get()
            for index in items.indices {
                switch items[index] {
                case .fact(var event):
                    items[index] = .taken
                    try record(&event)
                case .link(let link):
                    try record(link)
                case .taken:
                    continue
                }
            }
        }

        private mutating func record(_ event: inout DomainEvent) throws(ProjectionStateError) {
            if projections.scope == .registries, EntityKind.parse(stream: event.stream)?.kind.isRegistry == false {
                savedMore = true
            }
            guard projections.record(&event) else {
                throw ProjectionStateError(message: "the fact at position \(event.position) does not apply")
            }
            restored += 1
        }

        private mutating func record(_ link: PreparedFacts.Link) throws(ProjectionStateError) {
            guard projections.scope == .registries, link.position > projections.position,
                projections.facts.recordLink(
                    link.kind,
                    link.id,
                    position: link.position,
                    to: link.parent,
                    consortium: link.consortium
                )
            else { throw ProjectionStateError(message: "the link at position \(link.position) does not apply") }
            projections.position = link.position
            restored += 1
        }

        /// The restored projections at the header's position.
        public mutating func finish() throws(ProjectionStateError) -> Projections {
            if let expectedFacts, expectedFacts != restored {
                throw ProjectionStateError(message: "the header counts \(expectedFacts) facts, \(restored) were saved")
            }
            guard position >= projections.position else {
                throw ProjectionStateError(message: "the position is before the last fact")
            }
            projections.position = position
            projections.lastRecorded = recorded
            return projections
        }
    }

    /// Fact lines parsed and decoded down to catalogue events, ready for `StateRestorer.add(_:)`: preparing them is
    /// most of the cost of restoring, and can run on other threads while the restorer records the facts before.
    public struct PreparedFacts: Sendable {
        /// A case, requirement or contract as `.registries` keeps it: created at `position`, linked to `parent` (a
        /// requirement's case, a contract's requirement) and a contract's consortium.
        struct Link: Sendable {
            let kind: EntityKind
            let id: String
            let position: UInt64
            let parent: String
            let consortium: String?
        }

        enum Item: Sendable {
            case fact(DomainEvent)
            case link(Link)
            /// A fact already recorded.
            case taken
        }

        fileprivate let items: Result<[Item], ProjectionStateError>

        /// Prepares the facts of `bytes`: fact lines separated by newlines.
        public init(lines bytes: [UInt8]) {
            items = Result { () throws(ProjectionStateError) in
                var items = [Item]()
                for line in bytes.split(separator: UInt8(ascii: "\n")) { items.append(try Self.item(line)) }
                return items
            }
        }

        /// What a fact line records, prepared.
        fileprivate static func item(_ line: ArraySlice<UInt8>) throws(ProjectionStateError) -> Item {
            guard let fact = try? JSONDocument.parsing(Array(line)).root,
                let position = fact["position"]?.int64Value, position > 0
            else { throw ProjectionStateError(message: "a fact is not JSON with its position") }
            if let link = fact["link"] {
                guard let kind = link.stringValue.flatMap(EntityKind.init(rawValue:)), !kind.isRegistry,
                    let id = fact["id"]?.stringValue
                else { throw ProjectionStateError(message: "a link line names no case, requirement or contract") }
                return .link(
                    Link(
                        kind: kind,
                        id: id,
                        position: UInt64(position),
                        parent: fact["to"]?.stringValue ?? "",
                        consortium: fact["consortium"]?.stringValue
                    )
                )
            }
            guard let stream = fact["stream"], stream.isString, let id = fact["id"], id.isString,
                let type = fact["type"], type.isString, let recorded = fact["recorded"], recorded.isString,
                let data = fact["data"]
            else { throw ProjectionStateError(message: "a fact is not JSON with its envelope fields") }
            return .fact(
                DomainEvent(
                    position: UInt64(position),
                    stream: .stored(stream),
                    version: 0,
                    type: type,
                    texts: EventTexts(id: id, recorded: recorded),
                    // The fold reads only `actor` from meta, which a fact line holds at its top level.
                    payload: .stored(data: data, meta: fact)
                ).prepared()
            )
        }
    }
}
