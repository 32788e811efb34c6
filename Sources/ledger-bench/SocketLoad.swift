import CPoll
import Foundation
import Histogram
import LedgerTestSupport

/// Drives the socket from many client connections, all from one thread.
enum SocketLoad {
    /// How requests are paced.
    enum Pace {
        /// Closed loop: each client keeps this many requests in flight, sending the next when one is answered.
        case pipeline(Int)
        /// Open loop: requests leave on a fixed schedule spreading `eventsPerSecond` over the clients, whether or not
        /// earlier ones were answered; each latency counts from its request's scheduled time, so a slow answer that
        /// delays the client is not hidden (no coordinated omission).
        case rate(eventsPerSecond: Double)
    }

    struct Result {
        var events: Int
        var eventsPerSecond: Double
        var requestsPerSecond: Double
        var histogram: Histogram<UInt64>
    }

    static func run(
        socket: String,
        clients: Int,
        requestsPerClient: Int,
        pace: Pace,
        batch: Int,
        payloadBytes: Int,
        seed: UInt64,
        ids: Workload.IDKind,
        streamsPerClient: Int = 1
    ) throws -> Result {
        // Each request as the bytes sent, LF included, so sending copies nothing.
        let lines: [[[UInt8]]] = (0..<clients).map { client in
            // Each client of each client count gets its own ids, so runs of one invocation never repeat each other.
            let clientSeed = seed &+ UInt64(clients) &* 1_000_003 &+ UInt64(client) &* 7919
            var workload = Workload(seed: clientSeed, idKind: ids, payloadBytes: payloadBytes)
            return (0..<requestsPerClient).map { request in
                let events = (0..<batch).map { _ in workload.nextEventJSON() }
                let body = batch == 1 ? events[0] : "[" + events.joined(separator: ",") + "]"
                let stream = streamsPerClient == 1 ? "bench-\(client)" : "bench-\(client)-\(request % streamsPerClient)"
                return Array("APPEND \(stream) any \(body)\n".utf8)
            }
        }
        let connections = try lines.map { _ in try LineClient(path: socket) }
        let started = ContinuousClock.now
        var driver = Driver(connections: connections, lines: lines, started: started)
        switch pace {
        case .pipeline(let depth): try driver.closedLoop(depth: depth)
        case .rate(let eventsPerSecond): try driver.openLoop(requestsPerSecond: eventsPerSecond / Double(batch))
        }
        let elapsed = (ContinuousClock.now - started).seconds
        var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
        for value in driver.latencies { _ = histogram.record(value) }
        let requests = clients * requestsPerClient
        return Result(
            events: requests * batch,
            eventsPerSecond: Double(requests * batch) / elapsed,
            requestsPerSecond: Double(requests) / elapsed,
            histogram: histogram
        )
    }

    /// Sends each connection's lines and reads the answers from this one thread, waiting in `ppoll` for whichever
    /// connection answers next (or the next scheduled send), as an event-driven client does.
    private struct Driver {
        let connections: [LineClient]
        let lines: [[[UInt8]]]
        let started: ContinuousClock.Instant
        /// When each request was sent (closed loop) or due (open loop).
        var sentAt: [[ContinuousClock.Instant]]
        var sent: [Int]
        var answered: [Int]
        /// Every request's latency in nanoseconds.
        var latencies = [UInt64]()
        /// The requests a closed-loop client sends together, reused from send to send.
        var outgoing = [UInt8]()

        init(connections: [LineClient], lines: [[[UInt8]]], started: ContinuousClock.Instant) {
            self.connections = connections
            self.lines = lines
            self.started = started
            sentAt = lines.map { [ContinuousClock.Instant](repeating: started, count: $0.count) }
            sent = [Int](repeating: 0, count: connections.count)
            answered = [Int](repeating: 0, count: connections.count)
            latencies.reserveCapacity(lines.reduce(0) { $0 + $1.count })
        }

        /// Keeps `depth` requests in flight on each connection. The requests a connection has room for leave in one
        /// write, as a client that pipelines writes them (one write per request would cost this client, which shares
        /// the machine with the daemon, a system call each).
        mutating func closedLoop(depth: Int) throws {
            for client in connections.indices { try refill(client, depth: depth) }
            while try awaitAnswers(until: nil) {
                for client in connections.indices { try refill(client, depth: depth) }
            }
        }

        /// Sends `client`'s next requests, up to `depth` in flight, in one write.
        private mutating func refill(_ client: Int, depth: Int) throws {
            outgoing.removeAll(keepingCapacity: true)
            let now = ContinuousClock.now
            while sent[client] - answered[client] < depth, sent[client] < lines[client].count {
                sentAt[client][sent[client]] = now
                outgoing.append(contentsOf: lines[client][sent[client]])
                sent[client] += 1
            }
            if !outgoing.isEmpty { try connections[client].send(bytes: outgoing) }
        }

        /// Sends request `k` of the interleaved schedule (client `k % clients`) at `k / requestsPerSecond` seconds.
        mutating func openLoop(requestsPerSecond: Double) throws {
            let clients = connections.count
            func due(_ client: Int, _ index: Int) -> ContinuousClock.Instant {
                started + .nanoseconds(Int64(Double(index * clients + client) / requestsPerSecond * 1e9))
            }
            while true {
                let now = ContinuousClock.now
                var next: ContinuousClock.Instant?
                for client in connections.indices {
                    while sent[client] < lines[client].count, due(client, sent[client]) <= now {
                        try send(client, at: due(client, sent[client]))
                    }
                    if sent[client] < lines[client].count {
                        let upcoming = due(client, sent[client])
                        next = next.map { min($0, upcoming) } ?? upcoming
                    }
                }
                guard try awaitAnswers(until: next) || next != nil else { return }
            }
        }

        private mutating func send(_ client: Int, at time: ContinuousClock.Instant) throws {
            sentAt[client][sent[client]] = time
            try connections[client].send(bytes: lines[client][sent[client]])
            sent[client] += 1
        }

        /// Waits for answers (at most until `deadline`, when given) and records them; false once every request is
        /// answered.
        private mutating func awaitAnswers(until deadline: ContinuousClock.Instant?) throws -> Bool {
            let waiting = connections.indices.filter { answered[$0] < sent[$0] }
            guard !waiting.isEmpty || deadline != nil else {
                return connections.indices.contains { answered[$0] < lines[$0].count }
            }
            var polled = waiting.map { pollfd(fd: connections[$0].descriptor, events: Int16(POLLIN), revents: 0) }
            let wait = deadline.map { max(.zero, $0 - .now) } ?? .seconds(60)
            var timeout = timespec(
                tv_sec: Int(wait.components.seconds),
                tv_nsec: Int(wait.components.attoseconds / 1_000_000_000)
            )
            let ready = ppoll(&polled, nfds_t(polled.count), &timeout, nil)
            guard ready > 0 || deadline != nil else { throw LineClient.Failure(description: "no reply within 60 s") }
            for (slot, client) in waiting.enumerated() where polled[slot].revents != 0 {
                guard let replies = connections[client].receivedLines() else {
                    throw LineClient.Failure(description: "the daemon closed a connection")
                }
                for reply in replies { try record(reply, client: client) }
            }
            return connections.indices.contains { answered[$0] < lines[$0].count }
        }

        private mutating func record(_ reply: String, client: Int) throws {
            guard reply.hasPrefix("OK ") else {
                throw LineClient.Failure(description: "unexpected reply: \(reply.prefix(200))")
            }
            // A duplicate writes nothing, so it would make the run look faster than durable appends are.
            guard !reply.hasPrefix(#"OK {"duplicate":true"#) else {
                throw LineClient.Failure(
                    description: "the daemon already holds these events: use another --seed or a fresh data directory"
                )
            }
            let elapsed = ContinuousClock.now - sentAt[client][answered[client]]
            latencies.append(UInt64(elapsed / .nanoseconds(1)))
            answered[client] += 1
        }
    }
}
