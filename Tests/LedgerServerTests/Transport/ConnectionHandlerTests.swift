import EventLog
import LedgerTestSupport
import NIOCore
import NIOEmbedded
import NIOExtras
import Synchronization
import Testing

@testable import LedgerServer

/// The transport on its own, as swift-nio tests its pipelining handler: a `ConnectionHandler` behind the daemon's line
/// decoder in a test channel, with a scripted router and appends held until the test answers them.
@Suite("Transport: the connection handler")
struct ConnectionHandlerTests {
    /// The channel, the held appends and the count of reads the handler let through to the socket.
    struct Harness {
        let channel: NIOAsyncTestingChannel
        let appends = HeldAppends()
        let reads = ReadCounter()

        init(maxLineBytes: Int = 1000, maxPipelinedRequests: Int = 8) async throws {
            channel = NIOAsyncTestingChannel()
            let limits = TransportLimits(
                maxLineBytes: maxLineBytes,
                maxPipelinedRequests: maxPipelinedRequests,
                unmappedIdleSeconds: 60
            )
            let (channel, appends, reads) = (channel, appends, reads)
            try await channel.testingEventLoop.executeInContext {
                let handler = ConnectionHandler(
                    router: ScriptedRouter(),
                    appender: appends,
                    limits: limits,
                    metrics: LedgerMetrics(lastBackupTime: nil),
                    mailbox: AnswerMailbox(eventLoop: channel.eventLoop)
                )
                let decoder = ByteToMessageHandler(LineBasedFrameDecoder(), maximumBufferSize: maxLineBytes + 2)
                try channel.pipeline.syncOperations.addHandlers([reads, decoder, handler])
            }
            try await channel.connect(to: SocketAddress(unixDomainSocketPath: "/ledgerd.sock")).get()
        }

        /// Sends request lines (each LF-terminated) as one read from the socket.
        func send(_ lines: String...) async throws {
            try await channel.writeInbound(ByteBuffer(string: lines.map { $0 + "\n" }.joined()))
            await channel.testingEventLoop.run()
        }

        /// The next `count` reply lines, waiting for them.
        func replies(_ count: Int) async throws -> [String] {
            var lines = [String]()
            while lines.count < count {
                let buffer = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
                lines += String(buffer: buffer).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                    .map(String.init)
            }
            return lines
        }

        /// The replies written so far without waiting (after running what the loop has queued).
        func written() async throws -> [String] {
            await channel.testingEventLoop.run()
            var lines = [String]()
            while let buffer = try await channel.readOutbound(as: ByteBuffer.self) {
                lines += String(buffer: buffer).split(separator: "\n").map(String.init)
            }
            return lines
        }

        /// Asks the pipeline to read from the socket, as the channel does after each read.
        func read() async {
            channel.read()
            await channel.testingEventLoop.run()
        }

        /// Answers the `index`-th held append and lets the loop deliver it.
        func commit(_ index: Int, at position: UInt64) async {
            appends.commit(index, at: position)
            await channel.testingEventLoop.run()
        }
    }

    /// Counts the reads that reach the socket (the handler holds them back to pause reading).
    final class ReadCounter: ChannelOutboundHandler, Sendable {
        typealias OutboundIn = Any
        let count = Atomic(0)

        func read(context: ChannelHandlerContext) {
            count.add(1, ordering: .relaxed)
            context.read()
        }
    }

    static func appendLine(_ number: Int) -> String {
        #"APPEND test-\#(number) any {"id":"\#(uuid(number))","type":"x-test","data":{}}"#
    }

    @Test("replies leave in request order: a reply known at once waits behind an append still being committed")
    func ordering() async throws {
        let harness = try await Harness()
        try await harness.send(Self.appendLine(1), "PING", Self.appendLine(2), "PING")
        #expect(harness.appends.count == 2)
        #expect(try await harness.written().isEmpty)

        // The second append is durable first; its reply still waits for the first's.
        await harness.commit(1, at: 2)
        #expect(try await harness.written().isEmpty)
        await harness.commit(0, at: 1)
        #expect(
            try await harness.replies(4) == [
                #"OK {"first":1,"last":1,"version":1}"#, "PONG", #"OK {"first":2,"last":2,"version":1}"#, "PONG",
            ]
        )
    }

    @Test("a command runs only once every earlier reply is written, so a client sees its own appends")
    func commandsWaitTheirTurn() async throws {
        let harness = try await Harness()
        try await harness.send(Self.appendLine(1), "STATUS", "PING")
        #expect(try await harness.written().isEmpty)
        await harness.commit(0, at: 1)
        #expect(
            try await harness.replies(3) == [#"OK {"first":1,"last":1,"version":1}"#, #"OK {"verb":"STATUS"}"#, "PONG"]
        )
    }

    @Test("reading pauses while maxPipelinedRequests requests await replies, and resumes as they are answered")
    func pipelineWindow() async throws {
        let harness = try await Harness(maxPipelinedRequests: 2)
        await harness.read()
        #expect(harness.reads.count.load(ordering: .relaxed) == 1)

        try await harness.send(Self.appendLine(1), Self.appendLine(2))
        await harness.read()
        #expect(harness.reads.count.load(ordering: .relaxed) == 1, "two replies pending: no read reaches the socket")

        await harness.commit(0, at: 1)
        #expect(try await harness.replies(1) == [#"OK {"first":1,"last":1,"version":1}"#])
        #expect(harness.reads.count.load(ordering: .relaxed) == 2, "a slot freed: the paused read goes through")
    }

    @Test("a line over maxLineBytes is answered LINE_TOO_LONG after what is queued, and the connection closes")
    func lineTooLong() async throws {
        let harness = try await Harness(maxLineBytes: 120)
        try await harness.send(Self.appendLine(1), "PING " + String(repeating: "x", count: 200))
        await harness.commit(0, at: 1)
        let replies = try await harness.replies(2)
        #expect(replies[0] == #"OK {"first":1,"last":1,"version":1}"#)
        #expect(replies[1].hasPrefix("ERR LINE_TOO_LONG "))
        try await harness.channel.closeFuture.get()
    }

    @Test("after the client half-closes, what it asked is answered and then the connection closes")
    func halfClose() async throws {
        let harness = try await Harness()
        try await harness.send(Self.appendLine(1), "PING")
        harness.channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        await harness.channel.testingEventLoop.run()
        #expect(harness.channel.isActive, "still answering the append")
        await harness.commit(0, at: 1)
        #expect(try await harness.replies(2) == [#"OK {"first":1,"last":1,"version":1}"#, "PONG"])
        try await harness.channel.closeFuture.get()
    }

    @Test("at shutdown, queued requests are answered, then SHUTTING_DOWN, then the connection closes")
    func shutdown() async throws {
        let harness = try await Harness()
        try await harness.send(Self.appendLine(1), "PING")
        harness.channel.pipeline.fireUserInboundEventTriggered(ConnectionHandler.ShutdownEvent())
        await harness.commit(0, at: 1)
        let replies = try await harness.replies(3)
        #expect(Array(replies.prefix(2)) == [#"OK {"first":1,"last":1,"version":1}"#, "PONG"])
        #expect(replies[2].hasPrefix("ERR SHUTTING_DOWN "))
        try await harness.channel.closeFuture.get()
        // Requests after the shutdown began are not taken.
        _ = try? await harness.channel.writeInbound(ByteBuffer(string: "PING\n"))
        #expect(try await harness.written().isEmpty)
    }

    @Test("an append refused with an error that closes the connection ends it after that reply; QUIT likewise")
    func closingReplies() async throws {
        let harness = try await Harness()
        try await harness.send(Self.appendLine(1), "PING")
        harness.appends.refuse(0, .shuttingDown)
        await harness.channel.testingEventLoop.run()
        let replies = try await harness.replies(1)
        #expect(replies.count == 1 && replies[0].hasPrefix("ERR SHUTTING_DOWN "), "the PING after it is not answered")
        try await harness.channel.closeFuture.get()

        let quitting = try await Harness()
        try await quitting.send("QUIT", "PING")
        #expect(try await quitting.replies(1) == ["OK {}"])
        try await quitting.channel.closeFuture.get()
    }
}
