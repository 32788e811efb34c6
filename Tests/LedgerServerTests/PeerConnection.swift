import Foundation

/// A connection to the daemon from another uid, a member of the socket's group (root's, 0) as operators grant access:
/// `socat` run under `setpriv` (the tests run as root), its standard
/// input and output kept as pipes so that the connection stays open until `close()`. Once the daemon closes the
/// connection, socat exits half a second later (`-t 0.5`), which ends its output.
final class PeerConnection {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffer = [UInt8]()

    init(uid: UInt32, socket: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = [
            "--reuid=\(uid)", "--regid=\(uid)", "--groups=0", "/usr/bin/socat", "-t", "0.5", "-",
            "UNIX-CONNECT:\(socket)",
        ]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// Sends `line` and LF (ignoring a socat that has already exited: the replies say what happened).
    func send(_ line: String) {
        try? input.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
    }

    /// The next line the daemon sent, or nil once it closed the connection.
    /// - Throws: `TimedOut` when nothing arrives within `timeout` seconds.
    func readLine(timeout: Double = 10) throws -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        let descriptor = output.fileHandleForReading.fileDescriptor
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                defer { buffer.removeFirst(newline + 1) }
                return String(decoding: buffer[..<newline], as: UTF8.self)
            }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { throw TimedOut() }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(min(remaining, 1) * 1000)) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { return nil }
            buffer.append(contentsOf: chunk[..<count])
        }
    }

    /// Sends `line` and returns the reply line (nil when the daemon closed the connection instead).
    func request(_ line: String, timeout: Double = 10) throws -> String? {
        send(line)
        return try readLine(timeout: timeout)
    }

    /// Ends the connection. (Foundation reaps the process; `waitUntilExit` here can hang for a terminated one.)
    func close() {
        if process.isRunning { process.terminate() }
    }

    deinit {
        close()
    }

    struct TimedOut: Error {}
}
