#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress display on stderr (events, events/s, percentage and ETA), shown only when stderr is a
/// terminal and redrawn at most five times a second.
struct Progress {
    private let enabled = Output.stderrIsTerminal
    private let clock = ContinuousClock()
    private let started: ContinuousClock.Instant
    private var lastDrawn: ContinuousClock.Instant
    private let verb: String

    /// Progress of `verb` (e.g. `appended`).
    init(_ verb: String) {
        self.verb = verb
        started = clock.now
        lastDrawn = started
    }

    /// Redraws the line when due: `events` done so far, `bytesDone` of `bytesTotal` (nil when unknown) for the ETA.
    mutating func update(events: Int, bytesDone: Int, bytesTotal: Int?) {
        guard enabled else { return }
        let now = clock.now
        guard now - lastDrawn >= .milliseconds(200) else { return }
        lastDrawn = now
        let seconds = (now - started) / .seconds(1)
        var text = "\(verb) \(Format.count(events)) events"
        if seconds > 0 { text += ", \(Format.count(Int(Double(events) / seconds))) events/s" }
        if let bytesTotal, bytesTotal > 0, bytesDone > 0 {
            let fraction = min(Double(bytesDone) / Double(bytesTotal), 1)
            let remaining = seconds * (1 - fraction) / fraction
            text += ", \(Int(fraction * 100))%, ETA \(Format.duration(seconds: Int(remaining.rounded())))"
        }
        Output.errorWithoutNewline("\r\u{1B}[K" + text)
    }

    /// Clears the line.
    func finish() {
        guard enabled else { return }
        Output.errorWithoutNewline("\r\u{1B}[K")
    }
}
