import Foundation
import LedgerTestSupport
import Testing

/// Numbers, ranges and filters a hostile or careless client sends: every one gets the answer the protocol documents,
/// and the daemon keeps serving everybody. (Before the fix, any number from 2^63 up trapped the daemon while it
/// formed its reply, and `VERIFY 5 2`, `VERIFY` past the head and a misspelt `SUBSCRIBE` type answered as if fine.)
@Suite("Hostile arguments over the socket", .serialized)
final class HostileArgumentTests {
    let daemon: DaemonProcess

    init() throws {
        daemon = try DaemonProcess()
        try daemon.start()
        let client = try daemon.connect()
        for index in 1...3 {
            let reply = try client.request(#"APPEND s any {"id":"\#(uuid(index))","type":"x-t","data":{}}"#)
            #expect(reply.hasPrefix("OK "), "\(reply)")
        }
    }

    deinit {
        daemon.stop()
    }

    /// The largest number a request may carry, and the first ones past it.
    static let largest = "9223372036854775807"
    static let outOfRange = [
        "9223372036854775808", "18446744073709551615", "18446744073709551616", String(repeating: "9", count: 40),
    ]

    /// Every numeric argument of every verb, with `#` where the number goes.
    static let templates = [
        #"APPEND s # {"id":"\#(uuid(99))","type":"x-t","data":{}}"#, "READ s #", "READ s 1 #", "READALL #",
        "READALL 1 #",
        "SUBSCRIBE #", "SUBSCRIBE # x-t", "VERIFY #", "VERIFY 1 #", "PROVE #", "PROVE 1 #", "CONSISTENCY #",
        "CONSISTENCY 1 #", "CHECKPOINT #", "QUERY AFTER # market commissioner LA1",
    ]

    @Test("a number from 2^63 up is BAD_REQUEST for every verb, and the daemon keeps serving", .timeLimit(.minutes(1)))
    func outOfRangeNumbers() throws {
        let client = try daemon.connect()
        let bystander = try daemon.connect()
        for number in Self.outOfRange {
            for template in Self.templates {
                let line = template.replacingOccurrences(of: "#", with: number)
                let reply = try client.request(line)
                #expect(reply.hasPrefix("ERR BAD_REQUEST {"), "\(line): \(reply)")
                #expect(reply.contains("9223372036854775807"), "the message names the range: \(reply)")
            }
            #expect(try bystander.request("PING") == "PONG")
        }
        #expect(try client.request("PING") == "PONG")
        #expect(try BadInputTests.status("head", of: bystander) == 3, "nothing was written")
    }

    @Test("the largest number gets each verb's documented answer", .timeLimit(.minutes(1)))
    func largestNumber() throws {
        let client = try daemon.connect()
        let n = Self.largest
        let expected: [(String, String)] = [
            (#"APPEND s \#(n) {"id":"\#(uuid(99))","type":"x-t","data":{}}"#, "ERR WRONG_EXPECTED_VERSION {"),
            ("READ s \(n)", #"END {"count":0,"next":\#(n)}"#), ("READ s 1 \(n)", "EVENT {"),
            ("READALL \(n)", #"END {"count":0,"next":\#(n)}"#), ("READALL 1 \(n)", "EVENT {"),
            ("VERIFY \(n)", "ERR NOT_FOUND {"), ("VERIFY 1 \(n)", "ERR NOT_FOUND {"),
            ("PROVE \(n)", "ERR NOT_FOUND {"), ("PROVE 1 \(n)", "ERR NOT_FOUND {"),
            ("CONSISTENCY \(n)", "ERR NOT_FOUND {"), ("CONSISTENCY 1 \(n)", "ERR NOT_FOUND {"),
            ("CHECKPOINT \(n)", "ERR NOT_FOUND {"), ("QUERY AFTER \(n) market commissioner LA1", "ERR BAD_REQUEST {"),
        ]
        for (line, prefix) in expected {
            try client.send(line)
            let lines = try client.readSequence()
            #expect(
                lines.first?.hasPrefix(prefix) == true || lines.last?.hasPrefix(prefix) == true,
                "\(line): \(lines)"
            )
        }
        #expect(
            try client.request(#"APPEND s \#(n) {"id":"\#(uuid(99))","type":"x-t","data":{}}"#)
                .contains(#""expected":\#(n)"#)
        )
        try client.send("SUBSCRIBE \(n)")
        #expect(try client.readLine() == #"LIVE {"position":3}"#)
        try client.send("UNSUBSCRIBE")
        #expect(try client.readLine() == #"END {"count":0,"next":\#(n)}"#)
        #expect(try client.request("PING") == "PONG")
    }

    @Test("impossible ranges are BAD_REQUEST; ranges past the head are NOT_FOUND naming the head")
    func ranges() throws {
        let client = try daemon.connect()
        for line in ["VERIFY 5 2", "VERIFY 0", "VERIFY 2 1", "PROVE 0", "PROVE 3 2", "CONSISTENCY 3 2"] {
            #expect(try client.request(line).hasPrefix("ERR BAD_REQUEST {"), "\(line)")
        }
        for line in ["VERIFY 4", "VERIFY 1 4", "VERIFY 5 9", "PROVE 4", "CONSISTENCY 4", "CONSISTENCY 1 4"] {
            let reply = try client.request(line)
            #expect(reply.hasPrefix("ERR NOT_FOUND {") && reply.contains(#""head":3"#), "\(line): \(reply)")
        }
        #expect(try client.request("VERIFY").hasPrefix(#"OK {"root":"#))
        #expect(try client.request("READ nobody 0") == #"END {"count":0,"next":1}"#, "0 is taken as 1")
        try client.send("READALL 0 1")
        #expect(try client.readSequence().last == #"END {"count":1,"next":2}"#)
        #expect(try client.request("VERIFY 2 3").contains(#""verified":2"#))
        #expect(try client.request("VERIFY 3").contains(#""verified":1"#))
    }

    @Test("SUBSCRIBE refuses a type no event can have, naming it; catalogue and x- types are accepted")
    func subscribeTypes() throws {
        let client = try daemon.connect()
        for type in ["payment-mad", "x-bad/type", "PAYMENT-MADE"] {
            let reply = try client.request("SUBSCRIBE 1 payment-made \(type)")
            #expect(reply.hasPrefix("ERR BAD_REQUEST {") && reply.contains(#""type":"\#(type)""#), "\(type): \(reply)")
        }
        try client.send("SUBSCRIBE 1 payment-made x-t")
        #expect(try client.readLine()?.hasPrefix("EVENT ") == true)
        _ = try client.readLine()
        _ = try client.readLine()
        #expect(try client.readLine() == #"LIVE {"position":3}"#)
        try client.send("UNSUBSCRIBE")
        #expect(try client.readLine() == #"END {"count":3,"next":4}"#)
    }
}
