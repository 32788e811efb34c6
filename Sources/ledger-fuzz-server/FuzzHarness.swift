import Foundation
import LedgerServer
import Logging
import ServiceLifecycle

/// A `LedgerDaemon` on a temporary data directory and socket (under /dev/shm when there is one, so that the commits
/// of fuzzed appends cost no disk syncs), and the connection the fuzzer talks to it on.
final class FuzzHarness {
    private let daemon: LedgerDaemon
    private let directory: String
    private let socketPath: String
    private var connection: FuzzConnection
    /// The directory to remove when libFuzzer exits.
    nonisolated(unsafe) private static var removedAtExit: String?

    private init(daemon: LedgerDaemon, directory: String, socketPath: String) {
        self.daemon = daemon
        self.directory = directory
        self.socketPath = socketPath
        connection = FuzzConnection.open(socketPath)
    }

    /// Creates the directory, runs the daemon's services in a task and connects.
    static func start() -> FuzzHarness {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let directory = "\(base)/ledger-fuzz-server-\(getpid())"
        try? FileManager.default.removeItem(atPath: directory)
        guard (try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)) != nil
        else { fatalError("cannot create \(directory)") }
        removedAtExit = directory
        atexit { FuzzHarness.removedAtExit.map { _ = try? FileManager.default.removeItem(atPath: $0) } }
        var configuration = ServerConfiguration()
        configuration.dataDirectory = directory + "/data"
        configuration.socketPath = directory + "/ledgerd.sock"
        configuration.backupDirectory = directory + "/backups"
        var logger = Logger(label: "ledger-fuzz-server")
        logger.logLevel = .critical
        let daemon: LedgerDaemon
        do {
            daemon = try LedgerDaemon(configuration: configuration, logger: logger)
        } catch {
            fatalError("the daemon did not start: \(error)")
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: daemon.services, logger: logger)
        )
        Task { try await group.run() }
        return FuzzHarness(daemon: daemon, directory: directory, socketPath: configuration.socketPath)
    }

    /// Sends `line`, then `UNSUBSCRIBE` and `PING`, and reads until their answers: the `PONG` after the `END` or `ERR`
    /// that answers `UNSUBSCRIBE`. A line that ends the connection (`QUIT`) is followed by a new connection.
    func exchange(_ line: ArraySlice<UInt8>) {
        var request = Array(line)
        request.append(contentsOf: "\nUNSUBSCRIBE\nPING\n".utf8)
        guard connection.send(request) else { return reconnect() }
        var previous: [UInt8]?
        while let reply = connection.readLine() {
            FuzzConnection.check(reply, after: line)
            if reply == Array("PONG".utf8), let previous,
                previous.starts(with: "END ".utf8) || previous.starts(with: "ERR ".utf8)
            {
                break
            }
            previous = reply
        }
        if connection.isClosed { reconnect() }
        if line.count >= 6, String(decoding: line.prefix(6), as: UTF8.self).uppercased() == "BACKUP" {
            // Each backup copies the whole ledger: drop them so that the data directory's copies do not fill memory.
            try? FileManager.default.removeItem(atPath: directory + "/backups")
        }
    }

    private func reconnect() {
        connection.close()
        connection = FuzzConnection.open(socketPath)
    }
}
