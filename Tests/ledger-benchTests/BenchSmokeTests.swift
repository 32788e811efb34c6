import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

/// Runs the real `ledger-bench` binary with tiny workloads: each command it documents still works end to end and
/// prints the figures it promises. Figures are not judged here (performance is measured, never timed in tests).
@Suite("ledger-bench")
struct BenchSmokeTests {
    @Test("storage compares the log with both raw LMDB loops at every batch size", .timeLimit(.minutes(2)))
    func storage() throws {
        let rows = try Self.run(["storage", "--events", "300", "--batches", "1,10", "--ids", "v7,v4"])
        #expect(rows.count == 4)
        for row in rows {
            for field in ["rawEnvelopesPerSecond", "rawEventsPerSecond", "logEventsPerSecond", "ratio"] {
                #expect((row[field]?.doubleValue ?? 0) > 0, "\(field) in \(row)")
            }
        }
    }

    @Test(
        "append drives a daemon closed loop beside the in-process writer and raw LMDB, repeated, with a synchronous follower, and open loop at a rate",
        .timeLimit(.minutes(2))
    )
    func append() throws {
        let closed = try Self.run(["append", "--clients", "1,4", "--events", "40", "--in-process", "--raw"])
        #expect(closed.map { $0["clients"]?.doubleValue } == [1, 4])
        for row in closed {
            #expect(row["events"]?.doubleValue == 40)
            for field in [
                "commitBatch", "commitUs", "daemonCPUus", "inProcessEventsPerSecond", "ratio", "rawEventsPerSecond",
                "rawCommitUs", "ratioToRaw",
            ] {
                #expect((row[field]?.doubleValue ?? 0) > 0, "\(field) in \(row)")
            }
        }
        // One client, one request in flight: every commit holds its one event.
        #expect(closed.first?["commitBatch"]?.doubleValue == 1)

        // Pipelined: each client's requests leave together, and every one is answered.
        let pipelined = try Self.run(["append", "--clients", "2", "--pipeline", "8", "--events", "80"])
        #expect(pipelined.first?["pipeline"]?.doubleValue == 8)
        #expect(pipelined.first?["events"]?.doubleValue == 80)
        #expect((pipelined.first?["commitBatch"]?.doubleValue ?? 0) >= 1)

        let repeated = try Self.run(["append", "--clients", "2", "--events", "20", "--repeat", "3"])
        #expect(repeated.prefix(3).map { $0["run"]?.doubleValue } == [1, 2, 3])
        #expect(repeated.last?["run"]?.stringValue == "median")
        let rates = repeated.prefix(3).compactMap { $0["eventsPerSecond"]?.doubleValue }.sorted()
        #expect(repeated.last?["eventsPerSecond"]?.doubleValue == rates.dropFirst().first)

        // Beside a synchronous follower, against the same clients without one.
        let followed = try Self.run(["append", "--clients", "2", "--events", "40", "--followers", "0,1", "--sync"])
        #expect(followed.first?["followers"]?.doubleValue == 0 && followed.last?["followers"]?.stringValue == "1 sync")
        #expect(followed.map { $0["events"]?.doubleValue } == [40, 40])
        #expect((followed.last?["vsNoFollowers"]?.doubleValue ?? 0) > 0)

        let open = try Self.run(["append", "--clients", "2", "--events", "60", "--rate", "300"])
        let row = try #require(open.first)
        #expect(row["pipeline"]?.stringValue == "open")
        #expect(row["events"]?.doubleValue == 60)
        // 60 events on a 300/s schedule take at least 0.2 s, whatever the daemon could take.
        #expect((row["eventsPerSecond"]?.doubleValue ?? .infinity) < 400)
        #expect((row["p99ms"]?.doubleValue ?? 0) > 0)
    }

    @Test("append runs v7 and v4 ids side by side on a daemon configured as asked; a list with a bad item is refused")
    func idKinds() throws {
        let directory = try TemporaryDirectory(prefix: "bench-config")
        let config = directory.appending("ledgerd.json")
        try #"{"storage":{"writerNice":3}}"#.write(toFile: config, atomically: true, encoding: .utf8)
        let arguments = ["append", "--clients", "2", "--events", "20", "--ids", "v7,v4", "--daemon-config", config]
        let rows = try Self.run(arguments)
        #expect(rows.map { $0["ids"]?.stringValue } == ["v7", "v4"])
        let refusals = [
            ["append", "--clients", "2,x"], ["append", "--ids", "v7,v8"], ["append", "--clients", "0"],
            ["append", "--daemon-config", directory.appending("missing.json")],
        ]
        for arguments in refusals {
            let refused = #expect(throws: LineClient.Failure.self) { try Self.run(arguments) }
            #expect(refused?.description.contains(arguments[1]) == true, "\(arguments)")
        }
    }

    @Test(
        "rebuild folds a generated log three ways, repeated, and the daemon's REBUILD is identical",
        .timeLimit(.minutes(3))
    )
    func rebuild() throws {
        let rows = try Self.run(["rebuild", "--events", "2000", "--repeat", "2"])
        #expect(rows.count == 3)
        let row = try #require(rows.first)
        for field in ["foldEventsPerSecond", "startCatchUpEventsPerSecond", "rebuildEventsPerSecond", "daemonPeakMiB"] {
            #expect((row[field]?.doubleValue ?? 0) > 0, "\(field) in \(row)")
        }
        // The catch-up is measured once; the folds and REBUILDs of every run, and their median.
        for later in rows.dropFirst() {
            #expect((later["rebuildEventsPerSecond"]?.doubleValue ?? 0) > 0)
            #expect(later["startCatchUpEventsPerSecond"]?.stringValue == "")
        }
        #expect(rows.last?["run"]?.stringValue == "median")
    }

    @Test(
        "stalled measures the daemon's memory and appends beside subscribers that never read",
        .timeLimit(.minutes(2))
    )
    func stalled() throws {
        let rows = try Self.run(["stalled", "--subscribers", "5", "--megabytes", "2", "--appends", "10"])
        let row = try #require(rows.first)
        for field in ["rssBeforeMiB", "rssPeakMiB", "rssAfterMiB", "droppedSeconds", "aloneP50ms", "besideP50ms"] {
            #expect((row[field]?.doubleValue ?? 0) > 0, "\(field) in \(row)")
        }
    }

    @Test(
        "query asks every form from several clients on a generated history, then appends alone and beside queries",
        .timeLimit(.minutes(2))
    )
    func query() throws {
        let rows = try Self.run([
            "query", "--events", "5000", "--calls", "2", "--clients", "2", "--with-appends", "200", "--append-seconds",
            "1", "--append-clients", "2",
        ])
        let ledger = try #require(rows.first)
        #expect(ledger["form"]?.stringValue == "ledger")
        #expect(ledger["generated"]?.stringValue == "now")
        for field in ["events", "servingSeconds", "answeringSeconds", "rssMiB", "peakMiB", "bytesPerEvent"] {
            #expect((ledger[field]?.doubleValue ?? 0) > 0, "\(field) in \(ledger)")
        }
        let forms = rows.dropFirst().filter { $0["form"]?.stringValue?.hasPrefix("APPEND") == false }
        let families =
            ["payments contract", "payments provider", "payments commissioner", "audit case"]
            + ["audit requirement", "audit contract", "audit exceptions", "quality provider", "market commissioner"]
        for family in families {
            #expect(forms.contains { $0["form"]?.stringValue?.hasPrefix(family) == true }, "no \(family)")
        }
        // Each family with and without its period (or commissioner), and the queries beside the appends.
        #expect(forms.count == 15)
        for row in forms {
            #expect(row["errors"]?.doubleValue == 0, "\(row)")
            #expect((row["calls"]?.doubleValue ?? 0) >= 2, "\(row)")
            #expect((row["p99ms"]?.doubleValue ?? 0) > 0, "\(row)")
            if row["form"]?.stringValue?.hasSuffix("beside appends") == false {
                #expect((row["rows"]?.doubleValue ?? 0) > 0, "\(row)")
            }
        }
        let appends = rows.filter { $0["form"]?.stringValue?.hasPrefix("APPEND") == true }
        #expect(appends.count == 2)
        for row in appends {
            #expect(row["calls"]?.doubleValue == 200)
            #expect((row["p99ms"]?.doubleValue ?? 0) > 0)
        }
        #expect((appends.last?["p99VsAlone"]?.doubleValue ?? 0) > 0)
    }

    @Test("query keeps its generated ledger in --data-dir and reuses it; another size there is refused")
    func queryDataDirectory() throws {
        let directory = try TemporaryDirectory(prefix: "bench-query-kept")
        let kept = directory.appending("kept")
        let arguments = ["query", "--events", "3000", "--calls", "1", "--clients", "1", "--data-dir", kept]
        let first = try Self.run(arguments)
        let again = try Self.run(arguments)
        #expect(first.first?["generated"]?.stringValue == "now")
        #expect(again.first?["generated"]?.stringValue == "reused")
        #expect(again.first?["start"]?.stringValue == "checkpoint")
        #expect(first.first?["events"] == again.first?["events"])
        #expect(first.dropFirst().map { $0["rows"] } == again.dropFirst().map { $0["rows"] })
        let refused = #expect(throws: LineClient.Failure.self) {
            try Self.run(["query", "--events", "4000", "--data-dir", kept])
        }
        #expect(refused?.description.contains("--events 3000") == true, "\(String(describing: refused))")
    }

    @Test(
        "peers measures ledgerd at every load, and each peer that is installed beside it, with the ratio",
        .timeLimit(.minutes(3))
    )
    func peers() throws {
        let rows = try Self.run(["peers", "--loads", "1x1,2x4", "--events", "200"])
        #expect(rows.map { $0["load"]?.stringValue } == ["1x1", "2x4"])
        for row in rows {
            #expect((row["ledgerd"]?.doubleValue ?? 0) > 0, "\(row)")
            // A peer not installed here is skipped (its columns empty); one installed gets a rate and a ratio.
            for (peer, ratio) in [("redis", "vsRedis"), ("postgres", "vsPostgres")] {
                if let rate = row[peer]?.doubleValue {
                    #expect(rate > 0 && (row[ratio]?.doubleValue ?? 0) > 0, "\(row)")
                } else {
                    #expect(row[peer]?.stringValue == "", "\(row)")
                }
            }
        }
        #expect(throws: LineClient.Failure.self) { try Self.run(["peers", "--loads", "8x0"]) }
    }

    /// Runs `ledger-bench arguments --json` and returns its rows; fails on a non-zero exit.
    private static func run(_ arguments: [String]) throws -> [JSONValue] {
        let run = try Program.run(
            binary,
            arguments + ["--json"],
            withStandardError: false,
            environment: ["LEDGERD": DaemonProcess.binary]
        )
        guard run.status == 0 else {
            throw LineClient.Failure(description: "ledger-bench exited \(run.status): \(run.errors)")
        }
        return try JSONParser.parse(run.output.trimmingCharacters(in: .whitespacesAndNewlines)).arrayValue ?? []
    }

    /// The `ledger-bench` binary next to `ledgerd`.
    private static var binary: String {
        ((DaemonProcess.binary as NSString).deletingLastPathComponent as NSString).appendingPathComponent(
            "ledger-bench"
        )
    }
}

extension JSONValue {
    /// A number's value, for figures.
    fileprivate var doubleValue: Double? {
        guard case .number(let number) = self else { return nil }
        return Double(number.description)
    }
}
