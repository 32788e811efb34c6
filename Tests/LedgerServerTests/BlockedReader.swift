import Foundation
import LedgerTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Another process reading the ledger's LMDB environment: `mdb_dump -a` into a pipe nobody reads, so it blocks inside
/// its read transaction, holding one reader slot, until it is killed.
final class BlockedReader {
    /// Whether `mdb_dump` and `mdb_stat` (Debian's lmdb-utils, which `ops/install-deps` installs) are here.
    static let available = ["/usr/bin/mdb_dump", "/usr/bin/mdb_stat"].allSatisfy {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    private let process = Process()
    private let output = Pipe()
    private let dataDirectory: String

    /// Starts the dump and waits until LMDB's reader table (`mdb_stat -r`) lists it.
    /// - Important: The environment must hold more than a pipe's worth (64 KiB) of dump, or the dump just finishes.
    init(dataDirectory: String, timeout: Double = 10) throws {
        self.dataDirectory = dataDirectory
        process.executableURL = URL(fileURLWithPath: "/usr/bin/mdb_dump")
        process.arguments = ["-a", dataDirectory]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while try !holdsSlot() {
            guard process.isRunning, Date() < deadline else {
                throw LineClient.Failure(description: "mdb_dump never held a reader slot")
            }
            usleep(10_000)
        }
    }

    /// Whether `mdb_stat -r` lists this process in the environment's reader table.
    func holdsSlot() throws -> Bool {
        let table = try Program.run("/usr/bin/mdb_stat", ["-r", dataDirectory]).output
        return table.split(separator: "\n").contains {
            $0.split(separator: " ").first == "\(process.processIdentifier)"
        }
    }

    /// `kill -9`, then waits for it to be gone.
    func kill() {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit {
        kill()
    }
}
