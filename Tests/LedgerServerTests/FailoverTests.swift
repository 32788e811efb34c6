import Foundation
import LedgerJSON
import LedgerTestSupport
import Synchronization
import Testing

/// Promotion, fencing and failover: a follower made the primary of the next epoch, the former primary fenced, and
/// writers that carry on across a primary killed mid-load, all on real daemons.
@Suite("Replication: promotion, fencing and failover", .serialized)
struct FailoverTests {
    @Test(
        "PROMOTE makes a follower the primary of the next epoch, durably; it fences the former primary, which answers READ_ONLY naming it"
    )
    func promoteAndFence() throws {
        let primary = try DaemonProcess()
        defer { _ = primary.stop() }
        try primary.start()
        let writer = try primary.connect()
        for number in 1...20 { #expect(try writer.request(Self.note(number, stream: "notes-a")).hasPrefix("OK ")) }
        let follower = try DaemonProcess()
        defer { _ = follower.stop() }
        try follower.start(["--follow", primary.socketPath])
        try ReplicationTests.expectSameLog(follower, as: primary)
        #expect(try Self.replication(of: primary)["epoch"]?.int64Value == 1)
        #expect(try Self.replication(of: follower)["epoch"]?.int64Value == 1)

        // Only ops may promote; a primary cannot be promoted.
        #expect(try primary.connect().request("PROMOTE").hasPrefix("ERR BAD_REQUEST "))
        let promoted = try follower.connect().request("PROMOTE")
        let answer = try JSONParser.parse(String(promoted.dropFirst(3)))
        #expect(promoted.hasPrefix("OK ") && answer["epoch"]?.int64Value == 2, "\(promoted)")
        #expect(answer["position"]?.int64Value == 20)
        #expect(try follower.connect().request(Self.note(21, stream: "notes-a")).hasPrefix("OK "))
        #expect(try follower.connect().request("PROMOTE").hasPrefix("ERR BAD_REQUEST "))

        // The new primary fences the former one, which then refuses appends and names it, across a restart.
        try ReplicationTests.waitUntil { try Self.replication(of: primary)["role"]?.stringValue == "fenced" }
        let refused = try writer.request(Self.note(22, stream: "notes-b"))
        #expect(refused.hasPrefix("ERR READ_ONLY ") && refused.contains(follower.socketPath), "\(refused)")
        #expect(refused.contains(#""epoch":2"#), "\(refused)")
        try ReplicationTests.waitUntil { try Self.replication(of: follower)["formerPrimary"]?["fenced"] == .bool(true) }
        #expect(primary.stop() == 0)
        try primary.start()
        #expect(try primary.connect().request(Self.note(23, stream: "notes-b")).hasPrefix("ERR READ_ONLY "))
        #expect(try primary.connect().request("METRICS").contains("ledger_replication_primary 0"))
        // A stale fence is refused; the same fence again is answered as the first was.
        #expect(try primary.connect().request("FENCE 1 /elsewhere").hasPrefix("ERR STALE_EPOCH "))
        #expect(try primary.connect().request("FENCE 2 \(follower.socketPath)").hasPrefix("OK "))

        // Restarted with its old configuration (--follow the former primary), the promoted ledger stays the primary.
        #expect(follower.stop() == 0)
        try follower.start(["--follow", primary.socketPath])
        #expect(try follower.connect().request(Self.note(24, stream: "notes-a")).hasPrefix("OK "))
        #expect(try Self.replication(of: follower)["role"]?.stringValue == "primary")
        #expect(follower.log.contains("this ledger was promoted"))

        // A fenced daemon that knows its primary is not promoted: that would make two.
        #expect(try primary.connect().request("PROMOTE").hasPrefix("ERR BAD_REQUEST "))

        // The fenced former primary, its history a prefix of the new one, follows the new primary when told to.
        #expect(primary.stop() == 0)
        try primary.start(["--follow", follower.socketPath])
        try ReplicationTests.expectSameLog(primary, as: follower)
        #expect(try Self.replication(of: primary)["epoch"]?.int64Value == 2)

        // A copy of the promoted data directory, started to follow the ledger it was copied from, finds that one
        // leads its epoch: it steps down and follows.
        #expect(follower.stop() == 0)
        let copy = try DaemonProcess()
        defer { _ = copy.stop() }
        try FileManager.default.copyItem(atPath: follower.dataDirectory, toPath: copy.dataDirectory)
        try follower.start()
        try copy.start(["--follow", follower.socketPath])
        try ReplicationTests.waitUntil { try Self.replication(of: copy)["role"]?.stringValue == "follower" }
        #expect(try copy.connect().request(Self.note(25, stream: "notes-a")).hasPrefix("ERR READ_ONLY "))
        #expect(try follower.connect().request(Self.note(26, stream: "notes-a")).hasPrefix("OK "))
        try ReplicationTests.expectSameLog(copy, as: follower)
        #expect(copy.log.contains("takes no more appends"))
    }

    @Test(
        "failover: 8 writers with syncFollowers 1, the primary killed and its data deleted, the follower promoted: every acknowledged event at its position, and the writers carry on",
        arguments: [false, true]
    )
    func failover(overTLS: Bool) throws {
        let primary = try DaemonProcess()
        let follower = try DaemonProcess()
        defer {
            _ = primary.stop()
            _ = follower.stop()
        }
        let synchronous = #""replication":{"syncFollowers":1,"onSyncTimeout":"block"}"#
        if overTLS {
            // The follower replicates over TLS on loopback; the writers use the Unix sockets.
            let (certificates, port) = (try TestCertificates(), try TestCertificates.freePort())
            let tls = try certificates.serverSection(port: port, roles: #"{"names":{"follower.test":"replica"}}"#)
            try primary.start(configuration: "{\(synchronous),\(tls)}")
            try follower.start(configuration: try TLSTests.followerConfiguration(certificates, port: port))
        } else {
            try primary.start(configuration: "{\(synchronous)}")
            try follower.start(["--follow", primary.socketPath])
        }
        try ReplicationTests.waitUntil(timeout: 60, "the follower connects: \(follower.log)") {
            try Self.replication(of: primary)["followers"]?.arrayValue?.count == 1
        }

        let load = Load(target: primary.socketPath)
        let writers = (0..<Load.writers).map { writer in
            let thread = Thread { load.write(as: writer) }
            thread.start()
            return thread
        }
        try ReplicationTests.waitUntil(timeout: 120, "40% acknowledged: \(load.acknowledgedEvents)") {
            load.acknowledgedEvents >= Load.total * 2 / 5
        }
        // Under load, the follower's tree at a size the primary reached has the primary's root.
        let before = try ReplicationTests.status(of: primary)
        let (size, root) = (before["head"]?.int64Value ?? 0, before["root"]?.stringValue ?? "-")
        try ReplicationTests.waitUntil(timeout: 60, "the follower reaches \(size)") {
            try ReplicationTests.status(of: follower)["head"]?.int64Value ?? 0 >= size
        }
        #expect(try follower.connect().request("CONSISTENCY \(size)").contains(#""oldRoot":"\#(root)""#))
        #expect(primary.stop(signal: SIGKILL) != nil)
        try FileManager.default.removeItem(atPath: primary.dataDirectory)
        let promotedAt = Date()
        let promoted = try follower.connect().request("PROMOTE")
        #expect(promoted.hasPrefix("OK ") && promoted.contains(#""epoch":2"#), "\(promoted)")
        load.retarget(follower.socketPath)
        try ReplicationTests.waitUntil(timeout: 180) { load.finished == Load.writers }
        _ = writers
        let promotion = Date().timeIntervalSince(promotedAt)
        #expect(load.failures.isEmpty, "\(load.failures.prefix(3))")

        // Every acknowledged append is on the new primary at the positions it was acknowledged at.
        let client = try follower.connect()
        try client.send("READALL")
        let lines = try client.readSequence(timeout: 120).dropLast()
        #expect(lines.count == Load.total)
        var idAt = [Int64: String]()
        for line in lines {
            let event = try JSONParser.parse(String(line.dropFirst("EVENT ".count)))
            idAt[event["position"]?.int64Value ?? 0] = event["id"]?.stringValue
        }
        for (id, position) in load.acknowledged {
            #expect(idAt[position] == id, "event \(id) acknowledged at \(position)")
        }
        #expect(load.acknowledged.count == Load.total)
        // The primary's tree is a prefix of the new primary's, and the whole log verifies.
        #expect(try client.request("CONSISTENCY \(size)").contains(#""oldRoot":"\#(root)""#))
        #expect(try client.request("VERIFY").hasPrefix("OK "))
        print("failover: promoted and \(Load.total) events acknowledged in \(promotion) s after the kill")
    }

    @Test("PROMOTE answers at once when the primary accepts connections but answers nothing (a stopped process)")
    func promoteBesideAFrozenPrimary() throws {
        let directory = try TemporaryDirectory()
        let path = directory.appending("frozen.sock")
        let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        #expect(bound == 0 && listen(listener, 8) == 0)
        let follower = try DaemonProcess()
        defer { _ = follower.stop() }
        try follower.start(["--follow", path])
        Thread.sleep(forTimeInterval: 0.3)
        let started = Date()
        let promoted = try follower.connect().request("PROMOTE", timeout: 20)
        #expect(promoted.hasPrefix("OK ") && Date().timeIntervalSince(started) < 5, "\(promoted)")
        #expect(try follower.connect().request(Self.note(1, stream: "notes-a")).hasPrefix("OK "))
        #expect(follower.stop() == 0)
    }

    static func note(_ number: Int, stream: String) -> String {
        let id = String(format: "0190f3a0-7c1e-7d2a-9b3c-%012x", number)
        return #"APPEND \#(stream) any {"id":"\#(id)","type":"x-note","data":{"n":\#(number)}}"#
    }

    static func replication(of daemon: DaemonProcess) throws -> JSONValue {
        try ReplicationTests.status(of: daemon)["replication"] ?? [:]
    }
}

/// Writers appending batches of notes to their own streams, each retrying a batch (same ids) until it is
/// acknowledged, on whichever daemon is the target: the acknowledged positions of every event, and failures.
private final class Load: Sendable {
    static let writers = 8
    static let batch = 10
    static let total = 50_000

    private struct State {
        var target: String
        var acknowledged: [String: Int64] = [:]
        var finished = 0
        var failures: [String] = []
    }

    private let state: Mutex<State>

    init(target: String) {
        state = Mutex(State(target: target))
    }

    var acknowledgedEvents: Int { state.withLock { $0.acknowledged.count } }
    var acknowledged: [String: Int64] { state.withLock { $0.acknowledged } }
    var finished: Int { state.withLock { $0.finished } }
    var failures: [String] { state.withLock { $0.failures } }

    func retarget(_ socket: String) {
        state.withLock { $0.target = socket }
    }

    /// Appends writer `writer`'s share, one batch at a time.
    func write(as writer: Int) {
        defer { state.withLock { $0.finished += 1 } }
        var client: LineClient?
        let batches = Self.total / Self.batch / Self.writers
        for batch in 0..<batches {
            let ids = (0..<Self.batch).map {
                String(format: "0190f3a0-7c1e-7d2a-%04x-%012x", writer, batch * Self.batch + $0)
            }
            let events = ids.map { #"{"id":"\#($0)","type":"x-note","data":{"writer":\#(writer)}}"# }
            let line = "APPEND load-\(writer) any [\(events.joined(separator: ","))]"
            let deadline = Date().addingTimeInterval(120)
            while true {
                guard Date() < deadline else {
                    state.withLock { $0.failures.append("writer \(writer) batch \(batch): no answer in 120 s") }
                    return
                }
                let reply: String
                do {
                    if client == nil { client = try LineClient(path: state.withLock { $0.target }) }
                    reply = try client?.request(line, timeout: 30) ?? ""
                } catch {
                    client = nil
                    usleep(20_000)
                    continue
                }
                if reply.hasPrefix("OK "), let first = try? JSONParser.parse(String(reply.dropFirst(3)))["first"] {
                    let start = first.int64Value ?? 0
                    state.withLock { state in
                        for (offset, id) in ids.enumerated() { state.acknowledged[id] = start + Int64(offset) }
                    }
                    break
                }
                guard reply.hasPrefix("ERR READ_ONLY ") || reply.hasPrefix("ERR SHUTTING_DOWN ") else {
                    state.withLock { $0.failures.append("writer \(writer) batch \(batch): \(reply)") }
                    return
                }
                client = nil
                usleep(20_000)
            }
        }
    }
}
