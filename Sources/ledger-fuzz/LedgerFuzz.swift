import CLibFuzzer
import Commissioning
import Glibc
import LedgerJSON
import LedgerProtocol

/// The fuzz target: one input is one request line, parsed as the daemon parses it; an `APPEND` also has each event
/// object checked against the catalogue.
///
/// Built for fuzzing only by `ops/fuzz` (`-sanitize=fuzzer -DLEDGER_FUZZ`); a normal build's `main` just says so.
/// It deliberately links neither LMDB nor the event log (whose dependency on swift-crypto would make the fuzz build
/// several times slower), so the event object's shape is read here the way `ProposedEvent(json:)` reads it.
enum LedgerFuzz {
    /// Parses `line` and, for an `APPEND`, validates every event object; errors are the expected outcome.
    static func run(_ line: ArraySlice<UInt8>) {
        guard case .append(let stream, _, let events) = try? RequestParser.parse(line) else { return }
        let objects: [JSONValue]
        if case .array(let array) = events { objects = array } else { objects = [events] }
        for object in objects {
            guard let fields = object.objectValue, let type = fields["type"]?.stringValue,
                let data = fields["data"]
            else { continue }
            _ = try? Catalogue.validate(stream: stream, type: type, data: data, meta: fields["meta"] ?? .object([:]))
        }
    }
}

/// The entry point: hands the arguments to libFuzzer in the fuzz build.
@main
enum FuzzMain {
    static func main() {
        #if LEDGER_FUZZ
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(
            LLVMFuzzerRunDriver(&argc, &argv) { bytes, count in
                guard let bytes else { return 0 }
                LedgerFuzz.run(ArraySlice(UnsafeBufferPointer(start: bytes, count: count)))
                return 0
            }
        )
        #else
        print("ledger-fuzz runs only when built by ops/fuzz (libFuzzer, -DLEDGER_FUZZ)")
        exit(2)
        #endif
    }
}
