import Foundation
import LedgerTestSupport
import Testing

/// Socket settings that cannot work are refused at start with exit 2 naming the key, before anything is created:
/// modes that let every user connect or lock the owner out (accepted silently before), and paths longer than the
/// kernel takes (exit 1 with a bind error before).
@Suite("Socket settings checked at start")
struct SocketSettingsTests {
    @Test(
        "socket.mode granting others access or locking out the owner exits 2 naming the key",
        arguments: [
            "0777", "0666", "0661", "0000", "0460", "0060",
        ]
    )
    func badModes(mode: String) throws {
        let daemon = try DaemonProcess()
        let config = daemon.directory.appending("mode.json")
        try #"{"socket":{"mode":"\#(mode)"}}"#.write(toFile: config, atomically: true, encoding: .utf8)
        #expect(try daemon.runExpectingFailure(["--config", config]) == 2)
        #expect(daemon.log.contains("configuration key socket.mode: \(mode)"), "\(daemon.log)")
        #expect(!FileManager.default.fileExists(atPath: daemon.dataDirectory), "nothing was created")
    }

    @Test("good modes start", arguments: ["0600", "0660", "0620"])
    func goodModes(mode: String) throws {
        let daemon = try DaemonProcess()
        let config = daemon.directory.appending("mode.json")
        try #"{"socket":{"mode":"\#(mode)"}}"#.write(toFile: config, atomically: true, encoding: .utf8)
        try daemon.start(["--config", config])
        defer { daemon.stop() }
        let attributes = try FileManager.default.attributesOfItem(atPath: daemon.socketPath)
        #expect(attributes[.posixPermissions] as? Int == Int(mode, radix: 8))
    }

    @Test("a socket path longer than the kernel takes exits 2 naming the flag or the key")
    func longPath() throws {
        let daemon = try DaemonProcess()
        let long = daemon.directory.appending(String(repeating: "s", count: 120) + ".sock")
        #expect(try daemon.runExpectingFailure(["--socket", long]) == 2)
        #expect(daemon.log.contains("--socket: is \(long.utf8.count) bytes"), "\(daemon.log)")
        let config = daemon.directory.appending("path.json")
        try #"{"socket":{"path":"\#(long)"}}"#.write(toFile: config, atomically: true, encoding: .utf8)
        let viaFile = try DaemonProcess(directory: daemon.directory)
        // DaemonProcess passes its own --socket, which overrides the file: start the binary by hand.
        let run = try Program.run(viaFile.executable, ["--data-dir", viaFile.dataDirectory, "--config", config])
        #expect(run.status == 2)
        let message = run.output
        #expect(message.contains("configuration key socket.path: is"), "\(message)")
        #expect(!FileManager.default.fileExists(atPath: daemon.dataDirectory), "nothing was created")
    }
}
