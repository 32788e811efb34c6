import FuzzDriver

/// The end-to-end fuzz target: each input is one request line, sent over the Unix socket to a real `LedgerDaemon`
/// (connection handler, dispatcher, role checks, event log, projections) serving a data directory of its own, and
/// followed by `UNSUBSCRIBE` and `PING` so that its whole answer is read back.
///
/// It traps (a finding) when the service crashes, does not answer within `FuzzConnection.answerSeconds`, answers a
/// line that is not a protocol reply, or answers `ERR INTERNAL` (an unexpected failure, which no request may cause).
/// The service runs in this process, so libFuzzer's coverage includes the server's code on its event loops.
///
/// Built for fuzzing only by `ops/fuzz SECONDS server` (`-sanitize=fuzzer -DLEDGER_FUZZ`); a normal build's `main`
/// just says so.
enum ServerFuzz {
    /// The service and a connection to it, started by the first input.
    nonisolated(unsafe) static var harness: FuzzHarness?

    /// Sends the first line of `input` and checks the answer.
    static func run(_ input: ArraySlice<UInt8>) {
        let line = input.prefix { $0 != UInt8(ascii: "\n") }
        let harness = Self.harness ?? FuzzHarness.start()
        Self.harness = harness
        harness.exchange(line)
    }
}

/// The entry point: hands the arguments to libFuzzer in the fuzz build.
@main
enum FuzzMain {
    static func main() {
        FuzzDriver.run("ledger-fuzz-server") { ServerFuzz.run($0) }
    }
}
