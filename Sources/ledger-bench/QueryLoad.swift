import Foundation
import LedgerTestSupport
import Synchronization

/// Queries from several connections at once, one thread each: every client sends the next request of a shared
/// schedule as soon as its last one is answered (closed loop), and each answer is kept under its request.
final class QueryLoad: Sendable {
    private struct State {
        var next = 0
        var stopped = false
        var answers: [[AnswerReader.Answer]]
        var failure: String?
    }

    private let socket: String
    private let requests: [[UInt8]]
    private let schedule: [Int]
    private let cycling: Bool
    private let state: Mutex<State>
    private let finished = DispatchGroup()

    /// Starts `clients` connections sending `requests` (query lines, without LF) in the order of `schedule` (indices
    /// into `requests`): once each, or over and over until `stop()` when `cycling`.
    init(socket: String, requests: [String], schedule: [Int], clients: Int, cycling: Bool = false) {
        self.socket = socket
        self.requests = requests.map { Array(($0 + "\n").utf8) }
        self.schedule = schedule
        self.cycling = cycling
        state = Mutex(State(answers: requests.map { _ in [] }))
        for _ in 0..<clients {
            finished.enter()
            Thread.detachNewThread { [self] in
                drive()
                finished.leave()
            }
        }
    }

    /// Runs `schedule` once from `clients` connections and returns every request's answers.
    static func measure(
        socket: String,
        requests: [String],
        schedule: [Int],
        clients: Int
    ) throws -> [[AnswerReader
        .Answer]]
    {
        try QueryLoad(socket: socket, requests: requests, schedule: schedule, clients: clients).wait()
    }

    /// Lets each client finish the request it is waiting for, and send no other.
    func stop() {
        state.withLock { $0.stopped = true }
    }

    /// Waits for every client to be done; returns every request's answers.
    /// - Throws: `LineClient.Failure` with the first client's failure.
    func wait() throws -> [[AnswerReader.Answer]] {
        finished.wait()
        let (answers, failure) = state.withLock { ($0.answers, $0.failure) }
        if let failure { throw LineClient.Failure(description: failure) }
        return answers
    }

    private func drive() {
        do {
            var reader = try AnswerReader(socket: socket)
            while let request = take() {
                let answer = try reader.ask(requests[request], timeout: .seconds(3600))
                state.withLock { $0.answers[request].append(answer) }
            }
        } catch {
            state.withLock { state in
                state.failure = state.failure ?? "\(error)"
                state.stopped = true
            }
        }
    }

    /// The next request of the schedule, or nil once it is done (or stopped).
    private func take() -> Int? {
        state.withLock { state in
            guard !state.stopped, !schedule.isEmpty, cycling || state.next < schedule.count else { return nil }
            defer { state.next += 1 }
            return schedule[state.next % schedule.count]
        }
    }
}
