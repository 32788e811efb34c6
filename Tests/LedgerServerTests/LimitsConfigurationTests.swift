import Foundation
import LedgerTestSupport
import Testing

@testable import LedgerServer

/// The `limits.*` keys of connections and queued output: read from the file, refused out of range with the key named.
@Suite("Connection and output limits in the configuration file")
struct LimitsConfigurationTests {
    @Test("the keys are read, and out-of-range values are refused naming the key")
    func keys() throws {
        let directory = try TemporaryDirectory(prefix: "limits")
        let path = directory.appending("config.json")
        func apply(_ limits: String) throws(ConfigurationError) -> ServerConfiguration {
            try? #"{"limits":{\#(limits)}}"#.write(toFile: path, atomically: true, encoding: .utf8)
            var configuration = ServerConfiguration()
            try configuration.apply(file: path)
            return configuration
        }
        let read = try apply(
            #""maxConnections":100,"reservedOpsConnections":5,"maxConnectionsPerUID":20,"#
                + #""maxConnectionsPerUnmappedUID":1,"unmappedIdleSeconds":2.5,"maxQueuedOutputBytes":65536"#
        )
        #expect(read.maxConnections == 100 && read.reservedOpsConnections == 5 && read.maxConnectionsPerUID == 20)
        #expect(read.maxConnectionsPerUnmappedUID == 1 && read.unmappedIdleSeconds == 2.5)
        #expect(read.maxQueuedOutputBytes == 65536)

        let refused = [
            (#""maxConnections":10,"reservedOpsConnections":10"#, "limits.reservedOpsConnections"),
            (#""reservedOpsConnections":5000"#, "limits.reservedOpsConnections"),
            (#""maxConnectionsPerUID":0"#, "limits.maxConnectionsPerUID"),
            (#""maxConnectionsPerUnmappedUID":-1"#, "limits.maxConnectionsPerUnmappedUID"),
            (#""unmappedIdleSeconds":0"#, "limits.unmappedIdleSeconds"),
            (#""maxQueuedOutputBytes":1000"#, "limits.maxQueuedOutputBytes"),
            (#""maxQueuedOutputBytes":"1MiB""#, "limits.maxQueuedOutputBytes"),
        ]
        for (limits, key) in refused {
            do {
                _ = try apply(limits)
                Issue.record("\(limits) was accepted")
            } catch {
                #expect(error.key == key, "\(limits): \(error)")
            }
        }
    }

    @Test("a uid holds its own share; the last connections are for ops; the descriptor limit lowers the total")
    func admission() {
        var configuration = ServerConfiguration()
        (configuration.maxConnections, configuration.reservedOpsConnections) = (10, 2)
        (configuration.maxConnectionsPerUID, configuration.maxConnectionsPerUnmappedUID) = (4, 1)
        let limits = ConnectionLimits(configuration)
        #expect(limits.refusal(open: 0, openByOwner: 3, owner: "uid 7", role: .reader) == nil)
        #expect(
            limits.refusal(open: 0, openByOwner: 4, owner: "uid 7", role: .reader)?.key == "limits.maxConnectionsPerUID"
        )
        #expect(limits.refusal(open: 0, openByOwner: 0, owner: "uid 7", role: nil) == nil)
        #expect(
            limits.refusal(open: 0, openByOwner: 1, owner: "uid 7", role: nil)?.key
                == "limits.maxConnectionsPerUnmappedUID"
        )
        #expect(
            limits.refusal(open: 8, openByOwner: 0, owner: "uid 7", role: .writer)?.key
                == "limits.reservedOpsConnections"
        )
        #expect(limits.refusal(open: 8, openByOwner: 0, owner: "uid 0", role: .ops) == nil)
        #expect(limits.refusal(open: 10, openByOwner: 0, owner: "uid 0", role: .ops)?.key == "limits.maxConnections")
        let lowered = ConnectionLimits(configuration, descriptorCapacity: 3)
        #expect(lowered.total == 3 && lowered.reservedForOps == 1)
        #expect(lowered.refusal(open: 1, openByOwner: 0, owner: "uid 7", role: .writer) == nil)
        #expect(
            lowered.refusal(open: 3, openByOwner: 0, owner: "uid 0", role: .ops)?.message.contains("RLIMIT_NOFILE")
                == true
        )
    }
}
