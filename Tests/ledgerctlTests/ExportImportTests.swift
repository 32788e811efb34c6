import Foundation
import LedgerTestSupport
import Testing

@Suite("ledgerctl export and import")
struct ExportImportTests {
    @Test("export writes the stored bytes; import into a fresh ledger reproduces every event", .timeLimit(.minutes(1)))
    func exportThenImport() throws {
        let source = try DaemonProcess()
        try source.start()
        defer { source.stop() }
        // Interleaved streams, unusual JSON (escapes, exact decimals, nesting) and meta.
        var lines = [String]()
        for index in 1...60 {
            let stream = ["notes-1", "notes-2", "contract:9"][index % 3]
            lines.append(
                #"{"id":"\#(uuid(index))","type":"x-t\#(index % 4)","data":{"amount":12.50,"note":"a \"b\" \u00e9","#
                    + #""list":[1,{"x":null}]},"meta":{"actor":"officer-\#(index)"}}"#
            )
            if index % 20 == 0 {
                let file = try writeFile(lines.joined(separator: "\n"), named: "part.ndjson", in: source.directory.path)
                #expect(try LedgerctlProcess.run(["append", stream, file], socket: source.socketPath).status == 0)
                lines.removeAll()
            }
        }
        let single = try writeFile(
            #"{"id":"\#(uuid(99))","type":"x-late","data":{}}"#,
            named: "x",
            in: source.directory.path
        )
        #expect(try LedgerctlProcess.run(["append", "notes-1", single], socket: source.socketPath).status == 0)

        let exportPath = source.directory.appending("export.ndjson")
        let exported = try LedgerctlProcess.run(["export", exportPath], socket: source.socketPath)
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stdout == "exported 61 events (positions 1-61) to \(exportPath)\n")
        let exportText = try String(contentsOfFile: exportPath, encoding: .utf8)
        let exportMode = try FileManager.default.attributesOfItem(atPath: exportPath)[.posixPermissions] as? Int
        #expect(exportMode == 0o600, "an export holds every payload: the owner's alone, as the data files")
        let raw = try source.connect()
        try raw.send("READALL")
        let stored = try raw.readSequence().dropLast().map { $0.dropFirst("EVENT ".count) + "\n" }.joined()
        #expect(exportText == stored)

        let range = try LedgerctlProcess.run(["export", "--from", "60", "--to", "61"], socket: source.socketPath)
        #expect(range.lines.count == 2)
        #expect(range.lines.first?.hasPrefix(#"{"position":60,"#) == true)

        let csv = try LedgerctlProcess.run(["export", "--format", "csv", "--to", "1"], socket: source.socketPath)
        #expect(csv.lines.first == "position,stream,version,id,type,recorded,data,meta")
        #expect(csv.lines.count == 2)
        #expect(csv.lines.last?.hasPrefix("1,contract:9,1,\(uuid(1)),x-t1,") == true)
        #expect(csv.lines.last?.contains(#","{""amount"":12.50,"#) == true)

        let target = try DaemonProcess()
        try target.start()
        defer { target.stop() }
        let imported = try LedgerctlProcess.run(["import", exportPath], socket: target.socketPath)
        #expect(imported.status == 0, "\(imported.stderr)")
        let sourceRoot = try Self.root(of: source.socketPath)
        #expect(imported.lines.first == "imported 61 events (positions 1-61); root \(sourceRoot)")

        let copy = try LedgerctlProcess.run(["export"], socket: target.socketPath)
        #expect(copy.stdout == exportText, "every stored byte, recorded times included, is the exported one")
        #expect(copy.lines.count == 61)
        #expect(try LedgerctlProcess.run(["verify"], socket: target.socketPath).status == 0)
        #expect(try Self.root(of: target.socketPath) == sourceRoot)

        let twice = try LedgerctlProcess.run(["import", exportPath], socket: target.socketPath)
        #expect(twice.status == 1)
        #expect(
            twice.stderr == "ledgerctl: the ledger at \(target.socketPath) already holds 61 events; import only "
                + "into an empty ledger\n"
        )
    }

    @Test("import refuses an export that does not start at position 1", .timeLimit(.minutes(1)))
    func partialExport() throws {
        let source = try DaemonProcess()
        try source.start()
        defer { source.stop() }
        let file = try writeFile(
            (1...3).map { eventLine($0) }.joined(separator: "\n"),
            named: "events.ndjson",
            in: source.directory.path
        )
        #expect(try LedgerctlProcess.run(["append", "s", file], socket: source.socketPath).status == 0)
        let partial = source.directory.appending("partial.ndjson")
        #expect(try LedgerctlProcess.run(["export", "--from", "2", partial], socket: source.socketPath).status == 0)

        let target = try DaemonProcess()
        try target.start()
        defer { target.stop() }
        let refused = try LedgerctlProcess.run(["import", partial], socket: target.socketPath)
        #expect(refused.status == 1)
        #expect(
            refused.stderr == "ledgerctl: \(partial) line 1: position 2 where 1 was expected (import needs a complete "
                + "ndjson export from position 1); nothing was imported\n"
        )
    }

    /// The Merkle root a daemon's STATUS reports.
    static func root(of socket: String) throws -> String {
        let status = try LineClient(path: socket).request("STATUS")
        let start = try #require(status.firstRange(of: #""root":""#)?.upperBound)
        return String(status[start...].prefix(64))
    }
}
