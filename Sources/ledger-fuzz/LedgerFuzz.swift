import Commissioning
import FuzzDriver
import Glibc
import LedgerJSON
import LedgerProtocol

/// The fuzz target: one input is one request line, parsed as the daemon parses it, and the command it gives written
/// back by `RequestWriter`, which must parse to the same command; an `APPEND` also has each event object checked
/// against the catalogue. The input is also parsed as JSON into a tree and into a `JSONDocument`, which
/// must agree, and each event object is folded both ways (parsed values, and read in place as replay reads it),
/// which must give the same state.
///
/// Built for fuzzing only by `ops/fuzz` (`-sanitize=fuzzer -DLEDGER_FUZZ`); a normal build's `main` just says so.
/// It deliberately links neither LMDB nor the event log (whose dependency on swift-crypto would make the fuzz build
/// several times slower), so the event object's shape is read here the way `ProposedEvent(json:)` reads it.
enum LedgerFuzz {
    /// Parses `line` and, for an `APPEND`, validates every event object; errors are the expected outcome.
    static func run(_ line: ArraySlice<UInt8>) {
        checkDocumentAgrees(Array(line))
        guard let command = try? RequestParser.parse(line) else { return }
        checkWriterAgrees(command)
        guard case .append(let stream, _, let node) = command else { return }
        let events = node.value
        let objects: [JSONValue]
        if case .array(let array) = events { objects = array } else { objects = [events] }
        for object in objects {
            guard let fields = object.objectValue, let type = fields["type"]?.stringValue,
                let data = fields["data"]
            else { continue }
            let meta = fields["meta"] ?? .object([:])
            _ = try? Catalogue.validate(stream: stream, type: type, data: data, meta: meta)
            checkFoldAgrees(stream: stream, type: type, data: data, meta: meta)
        }
    }

    /// Traps unless the line `RequestWriter` writes for `command` parses back to it. The writer may refuse a word the
    /// parser takes (one with a control character): it refuses what a client should not send.
    static func checkWriterAgrees(_ command: Command) {
        var written = [UInt8]()
        guard (try? RequestWriter.write(command, to: &written)) != nil else { return }
        guard (try? RequestParser.parse(written.dropLast())) == command else {
            fatalError("\(command) was written as \(String(decoding: written, as: UTF8.self).debugDescription)")
        }
    }

    /// Traps unless `JSONDocument` gives exactly what `JSONParser` gives for `bytes`: the same error or the same value,
    /// and the same canonical bytes.
    static func checkDocumentAgrees(_ bytes: [UInt8]) {
        let tree = Result { () throws(JSONError) in try JSONParser.parse(bytes) }
        let document = Result { () throws(JSONError) in try JSONDocument.parsing(bytes).root }
        guard tree == document.map(\.value) else {
            fatalError("JSONDocument and JSONParser disagree: \(tree) vs \(document.map(\.value))")
        }
        if case .success(let value) = tree, case .success(let root) = document,
            value.canonicalBytes != root.canonicalBytes
        {
            fatalError(
                "canonical bytes differ: \(value.canonicalString) vs \(String(decoding: root.canonicalBytes, as: UTF8.self))"
            )
        }
    }

    /// Traps unless folding the event from parsed values and from its JSON read in place give the same state.
    static func checkFoldAgrees(stream: String, type: String, data: JSONValue, meta: JSONValue) {
        let envelope: JSONValue = ["data": data, "meta": meta]
        guard let root = try? JSONDocument.parsing(envelope.canonicalBytes).root,
            let storedData = root["data"], let storedMeta = root["meta"]
        else { fatalError("the canonical bytes of parsed values do not parse") }
        let id = "00000000-0000-7000-8000-000000000001"
        let recorded = "2026-12-01T00:00:00.000000Z"
        var values = Projections()
        values.apply(
            DomainEvent(
                position: 1,
                stream: stream,
                version: 1,
                id: id,
                type: type,
                recorded: recorded,
                data: data,
                meta: meta
            )
        )
        var inPlace = Projections()
        inPlace.apply(
            DomainEvent(
                position: 1,
                stream: stream,
                version: 1,
                id: id,
                type: type,
                recorded: recorded,
                storedData: storedData,
                storedMeta: storedMeta
            ).prepared()
        )
        guard values == inPlace else { fatalError("folding parsed values and values read in place disagree") }
    }
}

/// The entry point: hands the arguments to libFuzzer in the fuzz build.
@main
enum FuzzMain {
    static func main() {
        FuzzDriver.run("ledger-fuzz") { LedgerFuzz.run($0) }
    }
}
