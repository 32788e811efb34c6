import Foundation
import LedgerClient
import LedgerJSON
import LedgerProtocol
import LedgerTestSupport
import Testing

/// The line protocol over TCP with mutual TLS on loopback, with certificates made at test time.
@Suite("TLS: the line protocol over TCP with mutual TLS", .serialized)
struct TLSTests {
    @Test(
        "client certificates get roles by subject or alternative name; an unmapped one gets none; another CA's is refused"
    )
    func roles() async throws {
        let certificates = try TestCertificates()
        let port = try TestCertificates.freePort()
        let daemon = try DaemonProcess()
        defer { _ = daemon.stop() }
        let roles = #"{"subjects":{"CN=writer-1,O=Test Council":"writer"},"names":{"replica.test":"replica"}}"#
        try daemon.start(configuration: "{\(try certificates.serverSection(port: port, roles: roles))}")
        let address = "tls://127.0.0.1:\(port)"

        let writer = try await LedgerConnection.connect(to: address, tls: try certificates.client("writer-1"))
        #expect(try await writer.hello().role == .writer)
        let appended = try await writer.append(to: "notes-tls", events: [Self.note(1)])
        #expect(appended.first == 1)
        await writer.close()

        let replica = try await LedgerConnection.connect(
            to: address,
            tls: try certificates.client("follower-9", names: ["replica.test"])
        )
        #expect(try await replica.hello().role == .replica)
        #expect(try await replica.readAll().events.count == 1)
        await replica.close()

        let stranger = try await LedgerConnection.connect(to: address, tls: try certificates.client("stranger"))
        #expect(try await stranger.hello().role == nil)
        do {
            _ = try await stranger.append(to: "notes-tls", events: [Self.note(2)])
            Issue.record("an unmapped certificate appended")
        } catch {
            guard case .server(code: .forbidden, let message, _) = error else { throw error }
            #expect(message.contains(#"certificate "CN=stranger,O=Test Council" has no role"#), "\(message)")
        }
        await stranger.close()

        // A certificate of another CA: the handshake fails, nothing is served.
        let elsewhere = try TestCertificates(organization: "Elsewhere")
        var foreign = try elsewhere.client("writer-1")
        foreign.caFile = certificates.authorityFile
        // (Under TLS 1.3 the client's side of the handshake may be done before the server has judged its certificate:
        // the refusal comes then with the first reply.)
        await #expect(throws: LedgerClientError.self) {
            let refused = try await LedgerConnection.connect(to: address, tls: foreign)
            defer { Task { await refused.close() } }
            _ = try await refused.hello()
        }
        #expect(try daemon.connect().request("STATUS").contains(#""head":1"#))

        // ledgerctl over TLS, with the client certificate from its options.
        let files = try certificates.client("writer-1")
        let ledgerctl = ((DaemonProcess.binary as NSString).deletingLastPathComponent as NSString)
            .appendingPathComponent("ledgerctl")
        let status = try await Program.run(
            ledgerctl,
            [
                "status", "--socket", address, "--tls-cert", files.certificateFile, "--tls-key", files.keyFile,
                "--tls-ca", files.caFile,
            ]
        )
        #expect(status.status == 0 && status.output.contains("head        1"), "\(status.output)")
    }

    @Test(
        "a follower follows its primary over TLS on loopback, and a daemon with unreadable certificates does not start"
    )
    func follower() throws {
        let certificates = try TestCertificates()
        let port = try TestCertificates.freePort()
        let primary = try DaemonProcess()
        defer { _ = primary.stop() }
        let roles = #"{"names":{"follower.test":"replica"}}"#
        try primary.start(configuration: "{\(try certificates.serverSection(port: port, roles: roles))}")
        let writer = try primary.connect()
        for number in 1...50 {
            #expect(try writer.request("APPEND notes-tls any \(Self.note(number))").hasPrefix("OK "))
        }

        let follower = try DaemonProcess()
        defer { _ = follower.stop() }
        try follower.start(configuration: try Self.followerConfiguration(certificates, port: port))
        try ReplicationTests.expectSameLog(follower, as: primary)
        for number in 51...60 {
            #expect(try writer.request("APPEND notes-tls any \(Self.note(number))").hasPrefix("OK "))
        }
        try ReplicationTests.expectSameLog(follower, as: primary)
        let replication = try ReplicationTests.status(of: primary)["replication"]
        let peer = replication?["followers"]?.arrayValue?.first?["peer"]?.stringValue ?? ""
        #expect(peer.hasPrefix(#"certificate "CN=follower,O=Test Council""#), "\(peer)")

        let broken = try DaemonProcess()
        let configuration =
            #"{"tls":{"listen":"127.0.0.1:0","certificateFile":"/nonexistent.pem","keyFile":"/nonexistent.key","#
            + #""clientCAFile":"\#(certificates.authorityFile)"}}"#
        try configuration.write(toFile: broken.directory.appending("config.json"), atomically: true, encoding: .utf8)
        #expect(try broken.runExpectingFailure(["--config", broken.directory.appending("config.json")]) == 2)
        #expect(broken.log.contains("tls.certificateFile: cannot read a PEM file at /nonexistent.pem"))
    }

    @Test(
        "connections that never finish a handshake hold a place of their own: tls.maxPendingPerAddress, tls.handshakeTimeoutSeconds"
    )
    func pendingHandshakes() async throws {
        let certificates = try TestCertificates()
        let port = try TestCertificates.freePort()
        let daemon = try DaemonProcess()
        defer { _ = daemon.stop() }
        let section = try certificates.serverSection(
            port: port,
            roles: #"{"subjects":{"CN=ops-1,O=Test Council":"ops"}}"#
        )
        let limits = #""maxPendingPerAddress":2,"handshakeTimeoutSeconds":3"#
        try daemon.start(configuration: "{\(section.dropLast()),\(limits)}}")
        // Of three silent clients from one address two are let wait and one is closed at once (whichever the
        // daemon took last); local peers are served meanwhile.
        let opened = Date()
        let silent = try (0..<3).map { _ in try RawTCP(port: port) }
        var waiting = silent
        while waiting.count == 3, Date().timeIntervalSince(opened) < 2.5 {
            waiting.removeAll { $0.closed(within: 0.05) }
        }
        #expect(waiting.count == 2, "closed at once: \(3 - waiting.count)")
        #expect(try daemon.connect().request("PING") == "PONG")
        #expect(daemon.log.contains("tls.maxPendingPerAddress reached"))
        // The others are closed after the handshake timeout; then a client with a certificate gets in, and holds no
        // pending place once its handshake is done.
        #expect(waiting.allSatisfy { $0.closed(within: 10) })
        #expect(Date().timeIntervalSince(opened) >= 2.9)
        let files = try certificates.client("ops-1")
        let connections = try await (0..<3).asyncMap { _ in
            try await LedgerConnection.connect(to: "tls://127.0.0.1:\(port)", tls: files)
        }
        for connection in connections {
            #expect(try await connection.hello().role == .ops)
            await connection.close()
        }
    }

    /// A follower's configuration for a primary listening for TLS on 127.0.0.1:`port`.
    static func followerConfiguration(_ certificates: TestCertificates, port: Int) throws -> String {
        let client = try certificates.client("follower", names: ["follower.test"])
        return #"{"replication":{"primary":"tls://127.0.0.1:\#(port)","certificateFile":"\#(client.certificateFile)","#
            + #""keyFile":"\#(client.keyFile)","caFile":"\#(client.caFile)"}}"#
    }

    static func note(_ number: Int) -> JSONValue {
        [
            "id": .string(String(format: "0190f3a0-7c1e-7d2a-9b3c-%012x", number)), "type": "x-note",
            "data": ["n": .number(.init(number))],
        ]
    }
}

/// A plain TCP connection to 127.0.0.1 that says nothing: a client that never starts its TLS handshake.
private final class RawTCP {
    let descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            throw LineClient.Failure(description: "connect: \(String(cString: strerror(errno)))")
        }
    }

    deinit { close(descriptor) }

    /// Whether the server closes the connection within `seconds`.
    func closed(within seconds: Double) -> Bool {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(seconds * 1000)) == 1 else { return false }
        var byte: UInt8 = 0
        return recv(descriptor, &byte, 1, 0) <= 0
    }
}

extension Sequence {
    /// The results of `transform` on each element, one after another.
    fileprivate func asyncMap<Mapped>(_ transform: (Element) async throws -> Mapped) async rethrows -> [Mapped] {
        var mapped = [Mapped]()
        for element in self { mapped.append(try await transform(element)) }
        return mapped
    }
}
