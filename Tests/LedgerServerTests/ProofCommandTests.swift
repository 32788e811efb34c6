import Foundation
import LedgerJSON
import LedgerProofs
import LedgerTestSupport
import Testing

@Suite("PROVE, CONSISTENCY and CHECKPOINT over the socket", .serialized)
struct ProofCommandTests {
    /// Appends `count` extension events one request each and returns every event's stored bytes (READALL).
    static func fill(_ client: LineClient, count: Int, from first: Int = 1) throws -> [[UInt8]] {
        for index in first..<(first + count) {
            let reply = try client.request(
                #"APPEND s-\#(index % 3) any {"id":"\#(uuid(index))","type":"x-note","data":{"i":\#(index)}}"#
            )
            #expect(reply.hasPrefix("OK "), "\(reply)")
        }
        try client.send("READALL")
        return try client.readSequence().dropLast().map { Array($0.utf8.dropFirst("EVENT ".utf8.count)) }
    }

    /// The JSON object of an `OK` reply.
    static func ok(_ reply: String) throws -> JSONValue {
        try #require(reply.hasPrefix("OK "), "\(reply)")
        return try JSONParser.parse(Array(reply.utf8.dropFirst(3)))
    }

    static func hash(_ value: JSONValue?) throws -> MerkleHash {
        try #require(value?.stringValue.flatMap { MerkleHash(hex: $0) })
    }

    static func hashes(_ value: JSONValue?) throws -> [MerkleHash] {
        try #require(value?.arrayValue).map { try hash($0) }
    }

    @Test("every proof the daemon hands out verifies here against roots computed from the event bytes")
    func proofsVerifyClientSide() throws {
        let daemon = try DaemonProcess()
        let signing = try Keygen.signingConfig(in: daemon.directory, name: "ledger.test/proofs")
        try daemon.start(["--config", signing.config])
        defer { daemon.stop() }
        let client = try daemon.connect()
        let leaves = try Self.fill(client, count: 37).map { MerkleHash.leaf($0) }
        #expect(leaves.count == 37)
        var roots = [MerkleHash.emptyTree]
        var tree = MerkleTree()
        for leaf in leaves {
            tree.append(leaf)
            roots.append(tree.root)
        }
        for size in [1, 2, 7, 8, 16, 31, 37] {
            for position in Set([1, 2, size / 2 + 1, size]) where position <= size {
                let reply = try Self.ok(try client.request("PROVE \(position) \(size)"))
                #expect(try Self.hash(reply["leaf"]) == leaves[position - 1])
                try MerkleProofs.verifyInclusion(
                    leafHash: leaves[position - 1],
                    index: UInt64(position - 1),
                    treeSize: UInt64(size),
                    proof: try Self.hashes(reply["proof"]),
                    root: roots[size]
                )
            }
            for old in Set([0, 1, size / 2, size - 1, size]) {
                let reply = try Self.ok(try client.request("CONSISTENCY \(old) \(size)"))
                try MerkleProofs.verifyConsistency(
                    oldSize: UInt64(old),
                    newSize: UInt64(size),
                    oldRoot: roots[old],
                    newRoot: roots[size],
                    proof: try Self.hashes(reply["proof"])
                )
            }
        }
        let head = try Self.ok(try client.request("PROVE 5"))
        #expect(head["size"]?.int64Value == 37)
        #expect(try Self.hash(head["root"]) == roots[37])

        let reply = try Self.ok(try client.request("CHECKPOINT"))
        let checkpoint = try Checkpoint(
            verifying: try #require(reply["note"]?.stringValue),
            with: try NoteVerifier(parsing: signing.publicKey)
        )
        #expect(checkpoint.origin == "ledger.test/proofs")
        #expect(checkpoint.size == 37 && checkpoint.root == roots[37])
        #expect(try Self.ok(try client.request("CHECKPOINT 37")) == reply)
        #expect(try client.request("CHECKPOINT 20").hasPrefix("ERR NOT_FOUND "))
        #expect(try client.request("CHECKPOINT 38").hasPrefix("ERR NOT_FOUND "))
        #expect(try client.request("PROVE 38").hasPrefix("ERR NOT_FOUND "))
        #expect(try client.request("CONSISTENCY 38").hasPrefix("ERR NOT_FOUND "))
        #expect(try client.request("CONSISTENCY 5 38").hasPrefix("ERR NOT_FOUND "))
        #expect(try client.request("CONSISTENCY 9 5").hasPrefix("ERR BAD_REQUEST "))
        #expect(try client.request("PROVE 9 5").hasPrefix("ERR BAD_REQUEST "))
    }

    @Test("without a signing key CHECKPOINT gives any size's root with a null note")
    func unsignedCheckpoints() throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let client = try daemon.connect()
        let leaves = try Self.fill(client, count: 5).map { MerkleHash.leaf($0) }
        var tree = MerkleTree()
        for leaf in leaves.prefix(3) { tree.append(leaf) }
        let reply = try Self.ok(try client.request("CHECKPOINT 3"))
        #expect(reply["note"]?.isNull == true && reply["size"]?.int64Value == 3)
        #expect(try Self.hash(reply["root"]) == tree.root)
        #expect(try Self.ok(try client.request("CHECKPOINT"))["size"]?.int64Value == 5)
        #expect(try client.request("CHECKPOINT 6").hasPrefix("ERR NOT_FOUND "))
    }

    @Test("the daemon signs after every M events, at shutdown, and keeps the notes across restarts")
    func signingCadence() throws {
        let daemon = try DaemonProcess()
        let signing = try Keygen.signingConfig(in: daemon.directory, name: "ledger.test/cadence", everyEvents: 5)
        try daemon.start(["--config", signing.config])
        let client = try daemon.connect()
        _ = try Self.fill(client, count: 5)
        // Signed by the daemon's own thread once the head is 5 events past the last checkpoint.
        let deadline = Date().addingTimeInterval(5)
        var signed = try client.request("CHECKPOINT 5")
        while !signed.hasPrefix("OK "), Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
            signed = try client.request("CHECKPOINT 5")
        }
        #expect(signed.hasPrefix("OK "), "\(signed)")
        _ = try Self.fill(client, count: 3, from: 6)
        // Three events are not due before the hour is up: size 7 was never signed (8, the head, would be on demand).
        Thread.sleep(forTimeInterval: 0.2)
        #expect(try client.request("CHECKPOINT 7").hasPrefix("ERR NOT_FOUND "))
        #expect(daemon.stop() == 0)

        // Shutdown signed the head, 8; the notes survive the restart.
        try daemon.start(["--config", signing.config])
        defer { daemon.stop() }
        let again = try daemon.connect()
        _ = try Self.fill(again, count: 1, from: 9)
        #expect(try again.request("CHECKPOINT 5") == signed)
        let last = try Self.ok(try again.request("CHECKPOINT 8"))
        let verifier = try NoteVerifier(parsing: signing.publicKey)
        #expect(try Checkpoint(verifying: try #require(last["note"]?.stringValue), with: verifier).size == 8)
    }

    @Test("a key file readable by group or others stops the daemon from starting (exit 6)")
    func unsafeKeyFile() throws {
        let daemon = try DaemonProcess()
        let signing = try Keygen.signingConfig(in: daemon.directory, name: "ledger.test/unsafe")
        chmod(signing.keyFile, 0o644)
        #expect(try daemon.runExpectingFailure(["--config", signing.config]) == 6)
        #expect(daemon.log.contains("chmod 600"))
        chmod(signing.keyFile, 0o600)
        try "PRIVATE+KEY+nonsense".write(toFile: signing.keyFile, atomically: false, encoding: .utf8)
        #expect(try daemon.runExpectingFailure(["--signing-key", signing.keyFile]) == 6)
        #expect(daemon.log.contains("is not a signing key"))
    }

    @Test("keygen writes a 0600 key and its verifier key, and never overwrites")
    func keygen() throws {
        let directory = try TemporaryDirectory(prefix: "keygen")
        let keyFile = directory.appending("ledger.key")
        let created = try Keygen.run(keyFile: keyFile, name: "ledger.test/keygen")
        #expect(created.status == 0, "\(created.stderr)")
        let attributes = try FileManager.default.attributesOfItem(atPath: keyFile)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let privateText = try String(contentsOfFile: keyFile, encoding: .utf8)
        let signer = try CheckpointSigner(privateKeyText: privateText)
        let verifier = try NoteVerifier(parsing: created.stdout)
        #expect(signer.verifier == verifier && verifier.name == "ledger.test/keygen")
        #expect(try NoteVerifier(parsing: try String(contentsOfFile: keyFile + ".pub", encoding: .utf8)) == verifier)

        let again = try Keygen.run(keyFile: keyFile)
        #expect(again.status == 1)
        #expect(again.stderr.contains("already exists"))
        #expect(try String(contentsOfFile: keyFile, encoding: .utf8) == privateText)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == [
                "ledger.key", "ledger.key.pub",
            ]
        )
    }
}
