import ArgumentParser
import LedgerClient
import LedgerJSON
import LedgerProofs

#if canImport(Glibc)
import Glibc
#endif

/// `ledgerctl report case|contract|commissioner <id> [period] --key KEY --out FILE.html`: a self-verifying HTML
/// audit pack.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML audit pack that verifies itself in a browser.",
        discussion: """
            A case's or contract's pack holds its decision timeline (as `history` shows it), its contracts' \
            payments by period as a chart and a table with the reasons for withholdings, and every event of the \
            trail (as `audit --case` checks it) with its exact bytes, leaf hash and inclusion proof. A \
            commissioner's pack holds its payments (of one period with [period]) and the decisions an auditor \
            would question, with their events. Each pack carries the signed checkpoint of the head and the \
            verifier key, and a script that, opened in a browser, checks the signature (WebCrypto Ed25519) and \
            every proof (SHA-256), then shows "Verified" or exactly what failed. Nothing is loaded from the \
            network. ledgerctl checks everything itself before writing, and writes nothing when a check fails \
            (exit 1).
            """
    )

    /// What a pack is of.
    enum Scope: String, ExpressibleByArgument, CaseIterable {
        case `case`, contract, commissioner
    }

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "case, contract or commissioner.")
    var scope: Scope

    @Argument(help: "Its id.")
    var id: String

    @Argument(help: "For a commissioner: one period, YYYY-MM or YYYY.")
    var period: String?

    @Option(name: .long, help: "The log's verifier key: its text, or a file holding it (ledgerd keygen's KEY.pub).")
    var key: String

    @Option(name: .long, help: "The HTML file to write.")
    var out: String

    func validate() throws {
        if period != nil, scope != .commissioner { throw ValidationError("a period goes with commissioner only") }
    }

    func run() async throws {
        let verifier = try VerifierKey.load(key)
        let pack = try await connection.withLedger { ledger in try await assemble(ledger, verifier: verifier) }
        let file = try ExportFile(path: out)
        file.output.write(pack.html.utf8)
        try file.commit()
        Output.print(
            "wrote \(out): \(pack.title), \(pack.events.count) event\(pack.events.count == 1 ? "" : "s") proved in the "
                + "checkpoint of size \(pack.size) "
                + "signed by \(verifier.name); open it in a browser to verify it there"
        )
    }

    private func assemble(_ ledger: LedgerConnection, verifier: NoteVerifier) async throws -> AuditPack {
        let served = try await ledger.checkpoint()
        guard let note = served.note else {
            throw CommandFailure.refused("the daemon sent an unsigned checkpoint: it has no signing key")
        }
        let checkpoint: Checkpoint
        do {
            checkpoint = try Checkpoint(verifying: note, with: verifier)
        } catch {
            throw CommandFailure.refused("the daemon's checkpoint does not verify with the key: \(error)")
        }
        let timeline: [JSONValue]
        let positions: [UInt64]
        let payments: [JSONValue]
        switch scope {
        case .case, .contract:
            (timeline, positions) = try await DecisionTrail.load(scope == .case ? .case : .contract, id, ledger)
            let contracts = Set(timeline.compactMap { $0["stream"]?.stringValue }.filter { $0.hasPrefix("contract-") })
            var rows = [JSONValue]()
            for stream in contracts.sorted() {
                rows += try await ledger.query(["payments", "contract", String(stream.dropFirst(9))]).rows
            }
            payments = rows
        case .commissioner:
            timeline = try await ledger.query(["audit", "exceptions", id]).rows
            positions = Set(timeline.compactMap { $0["position"]?.int64Value }.filter { $0 > 0 }.map(UInt64.init))
                .sorted()
            payments = try await ledger.query(["payments", "commissioner", id] + (period.map { [$0] } ?? [])).rows
        }
        var events = [ProvedEvent]()
        for position in positions where position <= checkpoint.size {
            events.append(try await ProvedEvent.load(position, ledger, in: checkpoint))
        }
        if events.isEmpty, scope != .commissioner {
            throw CommandFailure.refused("\(scope.rawValue) \(id) has no events in the checkpoint")
        }
        return AuditPack(
            title: "\(scope.rawValue) \(id)\(period.map { " \($0)" } ?? "")",
            generated: Format.utc(seconds: time(nil)),
            origin: checkpoint.origin,
            size: checkpoint.size,
            note: note,
            key: verifier.text,
            timelineHeading: scope == .commissioner ? "Decisions an auditor would question" : "Decision timeline",
            timeline: timeline,
            timelineColumns: scope == .commissioner ? Self.exceptionColumns : Self.trailColumns,
            periods: try PaymentPeriod.periods(of: payments),
            events: events,
            later: positions.count - events.count
        )
    }

    private static let trailColumns = [
        column("position"), column("recorded", unit: .utc), column("decision", path: "type"), column("who"),
        column("what"), column("basis"), column("amount", path: "amountPence", unit: .pounds),
    ]

    private static let exceptionColumns = [column("position"), column("kind"), column("stream"), column("detail")]

    /// A column of the pack's timeline: `name` (its header, with the unit's symbol) shows member `path` of a row.
    private static func column(_ name: String, path: String? = nil, unit: TableColumn.Unit = .none) -> TableColumn {
        TableColumn(name: name, path: path ?? name, unit: unit, isList: false)
    }
}
