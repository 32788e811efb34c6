import Foundation
import LedgerTestSupport
import Testing

/// Per-uid connection caps, connections reserved for ops and the idle timeout of connections without a role, with
/// clients under other uids (`setpriv` and `socat`, as root).
@Suite("Connection limits per uid", .serialized)
struct ConnectionLimitTests {
    static let reader: UInt32 = 61101
    static let writer: UInt32 = 61102
    static let auditor: UInt32 = 61103
    static let unmapped: UInt32 = 61109

    @Test(
        "a uid holds at most its connections (few without a role, which idle out), and the last ones are kept for ops",
        .enabled(if: RoleTests.canSwitchUsers, "needs root, /usr/bin/setpriv and /usr/bin/socat"),
        .timeLimit(.minutes(2))
    )
    func perUIDLimits() throws {
        let daemon = try DaemonProcess()
        let config = daemon.directory.appending("limits.json")
        let users = #""\#(Self.reader)":"reader","\#(Self.writer)":"writer","\#(Self.auditor)":"auditor""#
        let limits =
            #""maxConnections":12,"reservedOpsConnections":2,"maxConnectionsPerUID":3,"#
            + #""maxConnectionsPerUnmappedUID":2,"unmappedIdleSeconds":2"#
        try #"{"roles":{"users":{\#(users)}},"limits":{\#(limits)}}"#
            .write(toFile: config, atomically: true, encoding: .utf8)
        try daemon.start(["--config", config])
        defer { daemon.stop() }
        let observer = try daemon.connect()
        let socket = daemon.socketPath

        // Without a role: two connections, then refusals naming the limit, logged once for the burst.
        let roleless = try (0..<2).map { _ in try PeerConnection(uid: Self.unmapped, socket: socket) }
        for peer in roleless { #expect(try peer.request("PING") == "PONG") }
        for _ in 0..<3 {
            let refused = try PeerConnection(uid: Self.unmapped, socket: socket)
            let line = try refused.readLine()
            #expect(line?.hasPrefix("ERR OVERLOADED ") == true, "\(line ?? "closed")")
            #expect(line?.contains(#""limit":"limits.maxConnectionsPerUnmappedUID""#) == true)
            #expect(try refused.readLine() == nil, "a refused connection is closed")
        }
        #expect(Self.lines(of: daemon, containing: "limits.maxConnectionsPerUnmappedUID") == 1)

        // They are closed once idle for limits.unmappedIdleSeconds; the uid may then connect again.
        for peer in roleless {
            let line = try peer.readLine(timeout: 10)
            #expect(line?.hasPrefix("ERR OVERLOADED ") == true, "\(line ?? "closed")")
            #expect(line?.contains("limits.unmappedIdleSeconds") == true)
            #expect(try peer.readLine() == nil)
        }
        #expect(try BadInputTests.connections(settlingAt: 1, of: observer) == 1)
        let again = try PeerConnection(uid: Self.unmapped, socket: socket)
        #expect(try again.request("PING") == "PONG")
        again.close()
        #expect(try BadInputTests.connections(settlingAt: 1, of: observer) == 1)

        // A uid with a role: three connections, not closed when idle; a fourth is refused.
        let writers = try (0..<3).map { _ in try PeerConnection(uid: Self.writer, socket: socket) }
        for peer in writers { #expect(try peer.request("PING") == "PONG") }
        let fourth = try PeerConnection(uid: Self.writer, socket: socket)
        #expect(try fourth.readLine()?.contains(#""limit":"limits.maxConnectionsPerUID""#) == true)
        Thread.sleep(forTimeInterval: 3)
        for peer in writers { #expect(try peer.request("PING") == "PONG", "a connection with a role may idle") }

        // 10 of the 12 connections are open (the observer among them): the last two are for ops only.
        let others = try [Self.reader, Self.reader, Self.reader, Self.auditor, Self.auditor, Self.auditor].map {
            try PeerConnection(uid: $0, socket: socket)
        }
        for peer in others { #expect(try peer.request("PING") == "PONG") }
        let late = try PeerConnection(uid: Self.unmapped, socket: socket)
        #expect(try late.readLine()?.contains(#""limit":"limits.reservedOpsConnections""#) == true)
        let operators = try (0..<2).map { _ in try daemon.connect() }
        for client in operators { #expect(try client.request("PING") == "PONG") }
        let beyond = try daemon.connect()
        #expect(try beyond.readLine()?.contains(#""limit":"limits.maxConnections""#) == true)
        #expect(try beyond.readLine() == nil)
        #expect(try observer.request("PING") == "PONG")
    }

    /// How many lines of the daemon's log mention `text`.
    static func lines(of daemon: DaemonProcess, containing text: String) -> Int {
        daemon.log.split(separator: "\n").filter { $0.contains(text) }.count
    }
}
