import ArgumentParser
import LedgerClient

/// `ledgerctl export`: the log, or a range of it, as NDJSON (the exact stored bytes) or CSV.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the log (or a range of it) as NDJSON or CSV, to FILE or stdout.",
        discussion: """
            ndjson lines are the events' exact stored bytes, so anyone can recompute the leaf hashes and the \
            Merkle root from the file; it is what `ledgerctl import` reads. csv has the columns position, stream, \
            version, id, type, recorded, data and meta (data and meta as JSON). Without --to the export stops at \
            the head when it starts. A FILE is written under FILE.partial and renamed when complete.
            """
    )

    /// The output formats.
    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case ndjson
        case csv
    }

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .long, help: "The first position (default 1).")
    var from: UInt64 = 1

    @Option(name: .long, help: "The last position (default: the head when the export starts).")
    var to: UInt64?

    @Option(name: .long, help: "ndjson or csv.")
    var format = OutputFormat.ndjson

    @Argument(help: "The file to write (default: stdout).")
    var file: String?

    func run() async throws {
        let destination = try ExportFile(path: file)
        let output = destination.output
        let (count, last) = try await connection.withLedger { ledger in
            let head = try await ledger.status().head
            let last = min(to ?? head, head)
            var next = max(from, 1)
            var count = 0
            if format == .csv { output.line(CSVRow.header) }
            while next <= last {
                let page = try await ledger.readAll(from: next, limit: Int(min(last - next + 1, Self.pageSize)))
                guard !page.events.isEmpty else { break }
                for event in page.events {
                    if format == .csv {
                        output.line(CSVRow.row(event))
                    } else {
                        output.write(event.bytes)
                        output.write(CollectionOfOne(UInt8(ascii: "\n")))
                    }
                }
                count += page.events.count
                next = page.next
            }
            return (count, next - 1)
        }
        try destination.commit()
        if let file {
            let range = count > 0 ? " (positions \(last - UInt64(count) + 1)-\(last))" : ""
            Output.print("exported \(Format.count(count)) events\(range) to \(file)")
        }
    }

    /// Events asked for per request.
    static let pageSize: UInt64 = 1000
}
