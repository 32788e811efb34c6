import ArgumentParser
import CommissioningScenario
import Foundation
import LedgerJSON

/// The ledger `ledger-bench query` measures: a generated commissioning history in `data` under a directory, with
/// `query.json` beside it naming what it was generated from and the ids the queries ask about. A kept directory is
/// generated into once, when empty, and reused after.
struct QueryLedger {
    /// The daemon's data directory.
    let dataDirectory: String
    let targets: QueryTargets
    /// How long generating and storing took, then or in the run that generated it.
    let generateSeconds: Double
    /// The generating process's anonymous memory once it was done, in MiB (the pages of the map it wrote are the
    /// file's, counted apart).
    let generateHeapMiB: Double
    /// The size of `data.mdb` once generated (the log alone, before the daemon saved projection checkpoints in it),
    /// per event.
    let logBytesPerEvent: Double
    /// Whether this run generated it.
    let generated: Bool

    /// The ledger of about `events` events from `seed` in `directory`: reused when an earlier run generated it there,
    /// else generated in process, a thousand events per transaction.
    /// - Throws: `ValidationError` when `directory` holds anything else, or a ledger of other `events` or `seed`.
    init(in directory: String, events: Int, seed: UInt64) throws {
        dataDirectory = (directory as NSString).appendingPathComponent("data")
        let manifest = (directory as NSString).appendingPathComponent("query.json")
        let files = FileManager.default
        if files.fileExists(atPath: manifest) {
            let stored = try JSONParser.parse(String(contentsOfFile: manifest, encoding: .utf8))
            guard stored["seed"]?.stringValue == "\(seed)", stored["requested"]?.int64Value == Int64(events),
                let seconds = stored["generateSeconds"]?.stringValue.flatMap(Double.init),
                let heap = stored["generateHeapMiB"]?.stringValue.flatMap(Double.init),
                let bytes = stored["logBytesPerEvent"]?.stringValue.flatMap(Double.init)
            else {
                throw ValidationError(
                    "\(directory) holds the ledger of --events \(stored["requested"]?.description ?? "?") --seed "
                        + "\(stored["seed"]?.stringValue ?? "?"): use those, or an empty directory"
                )
            }
            targets = try QueryTargets(stored)
            (generateSeconds, generateHeapMiB, logBytesPerEvent, generated) = (seconds, heap, bytes, false)
            return
        }
        guard (try? files.contentsOfDirectory(atPath: directory))?.isEmpty ?? true else {
            throw ValidationError(
                "\(directory) is neither empty nor a ledger of ledger-bench query (an interrupted generation leaves no "
                    + "query.json): empty it"
            )
        }
        try files.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        var landmarks = ScenarioLandmarks()
        let started = ContinuousClock.now
        let stored = try Preload.storeScenario(events: events, seed: seed, in: dataDirectory) { landmarks.observe($0) }
        generateSeconds = (ContinuousClock.now - started).seconds
        generateHeapMiB = ProcessMemory(pid: getpid())?.anonymous ?? 0
        let file = try files.attributesOfItem(atPath: (dataDirectory as NSString).appendingPathComponent("data.mdb"))
        logBytesPerEvent = Double((file[.size] as? Int) ?? 0) / Double(max(stored, 1))
        generated = true
        targets = try QueryTargets(landmarks)
        var record = targets.json
        record["seed"] = .string("\(seed)")
        record["requested"] = .number(JSONNumber(events))
        record["events"] = .number(JSONNumber(stored))
        record["generateSeconds"] = .string(String(format: "%.1f", generateSeconds))
        record["generateHeapMiB"] = .string(String(format: "%.0f", generateHeapMiB))
        record["logBytesPerEvent"] = .string(String(format: "%.0f", logBytesPerEvent))
        try JSONValue.object(record).canonicalString.write(toFile: manifest, atomically: true, encoding: .utf8)
    }
}
