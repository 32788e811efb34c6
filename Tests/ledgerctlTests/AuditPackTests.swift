import Foundation
import LedgerTestSupport
import Testing

/// Headless Chromium (Debian's `chromium`, which ops/install-deps installs), or `$CHROMIUM`.
private enum Chromium {
    static let path: String? = {
        if let path = ProcessInfo.processInfo.environment["CHROMIUM"] { return path }
        return ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }()

    /// Opens `file` headless, lets its scripts run, and returns the DOM they left (empty when the browser did not run).
    static func dom(of file: String, profile: TemporaryDirectory) async throws -> (dom: String, errors: String) {
        let outcome = try await Program.run(
            path ?? "chromium",
            arguments(profile) + ["--dump-dom", URL(fileURLWithPath: file).absoluteString],
            withStandardError: false
        )
        return (outcome.output, outcome.errors)
    }

    /// Saves a screenshot of `file` to `png`.
    static func screenshot(of file: String, to png: String, profile: TemporaryDirectory) async throws {
        _ = try await Program.run(
            path ?? "chromium",
            arguments(profile) + [
                "--hide-scrollbars", "--window-size=1280,1600", "--screenshot=\(png)",
                URL(fileURLWithPath: file).absoluteString,
            ],
            withStandardError: false
        )
    }

    private static func arguments(_ profile: TemporaryDirectory) -> [String] {
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=\(profile.path)",
            "--virtual-time-budget=15000",
        ]
    }
}

@Suite("ledgerctl report: a self-contained HTML audit pack that verifies itself in a real browser")
struct AuditPackTests {
    /// A daemon signing checkpoints with a fresh key, holding a demo of 20 cases.
    private static func signingDemo() async throws -> (DaemonProcess, publicKey: String) {
        let daemon = try DaemonProcess()
        let signing = try Keygen.signingConfig(in: daemon.directory, name: "ledger.test/pack")
        try daemon.start(["--config", signing.config])
        let demo = try await LedgerctlProcess.run(["demo", "--cases", "20"], socket: daemon.socketPath)
        #expect(demo.status == 0, "\(demo.stderr)")
        return (daemon, signing.publicKey)
    }

    /// Screenshots are kept here for people to look at.
    static let screenshots = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-audit-pack").path

    @Test(
        "a genuine pack shows Verified in headless Chromium; one changed event byte shows Not verified",
        .enabled(if: Chromium.path != nil, "no chromium here: ops/install-deps installs it"),
        .timeLimit(.minutes(3))
    )
    func verifiesInBrowser() async throws {
        let (daemon, publicKey) = try await Self.signingDemo()
        defer { daemon.stop() }
        let directory = try TemporaryDirectory(prefix: "audit-pack")
        let profile = try TemporaryDirectory(prefix: "chromium-profile")
        try FileManager.default.createDirectory(atPath: Self.screenshots, withIntermediateDirectories: true)

        // An event whose text tries to end the pack's data block and run a script of its own.
        let hostile =
            #"{"id":"019b8b74-0000-7000-8000-000000000001","type":"x-note","data":{"text":"\u0600</script><b id=injected>x</b><script>document.title='pwned'</script>"}}"#
        let appended = try await LedgerctlProcess.run(
            ["append", "case-C000004", "-"],
            socket: daemon.socketPath,
            input: hostile + "\n"
        )
        #expect(appended.status == 0, "\(appended.stderr)")

        let pack = directory.appending("case.html")
        let report = try await LedgerctlProcess.run(
            ["report", "case", "C000004", "--key", publicKey, "--out", pack],
            socket: daemon.socketPath
        )
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.hasPrefix("wrote \(pack): case C000004, "), "\(report.stdout)")
        let html = try String(contentsOfFile: pack, encoding: .utf8)
        // Self-contained: no resource is fetched (the SVG namespace is a name, not a fetch).
        #expect(!html.contains("src=") && !html.contains("<link") && !html.contains("url("))
        let withoutNamespace = html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
        #expect(!withoutNamespace.contains("http://") && !withoutNamespace.contains("https://"))
        #expect(html.contains("Content-Security-Policy\" content=\"default-src 'none'"), "nothing may be fetched")
        #expect(html.contains("<svg") && html.contains("Decision timeline") && html.contains("withheld for"))

        let genuine = try await Chromium.dom(of: pack, profile: profile)
        guard genuine.dom.contains("<html") else {
            print("skipped: chromium could not run here: \(genuine.errors.suffix(400))")
            return
        }
        #expect(genuine.dom.contains(#"data-result="verified""#), "\(genuine.dom.prefix(3000))")
        #expect(genuine.dom.contains("Verified: the checkpoint of size "))
        #expect(genuine.dom.contains(#"<tr id="event-"#), "the events are drawn from the verified bytes")
        #expect(genuine.dom.contains("x-note") && !genuine.dom.contains(#"<b id="injected""#), "event text is text")
        #expect(genuine.dom.contains("<title>Audit pack: case C000004</title>"))
        #expect(!genuine.dom.contains(#"class="check bad""#), "every timeline row is a verified event")
        let verifiedShot = Self.screenshots + "/verified.png"
        try await Chromium.screenshot(of: pack, to: verifiedShot, profile: profile)
        #expect(FileManager.default.fileExists(atPath: verifiedShot))
        print("screenshot of the verified pack: \(verifiedShot)")

        // One byte of one event changed: the browser says which event and why.
        let marker = #"\"version\":1,"#
        let at = try #require(html.range(of: marker))
        let tampered = directory.appending("tampered.html")
        try html.replacingCharacters(in: at, with: #"\"version\":2,"#).write(
            toFile: tampered,
            atomically: true,
            encoding: .utf8
        )
        let changed = try await Chromium.dom(of: tampered, profile: profile)
        #expect(changed.dom.contains(#"data-result="failed""#), "\(changed.dom.prefix(3000))")
        #expect(changed.dom.contains("Not verified: 2 problems."))
        #expect(changed.dom.contains("its bytes hash to "))
        #expect(changed.dom.contains("the timeline's row for position "), "the row showing that event is flagged")
        let tamperedShot = Self.screenshots + "/tampered.png"
        try await Chromium.screenshot(of: tampered, to: tamperedShot, profile: profile)
        print("screenshot of the tampered pack: \(tamperedShot)")

        // A changed proof hash, and a checkpoint claiming another size under the same signature.
        let proofAt = try #require(html.range(of: #""proof":[""#)).upperBound
        let digit = html[proofAt] == "0" ? "1" : "0"
        let size = try #require(report.stdout.firstMatch(of: /checkpoint of size (\d+)/)?.1)
        let forgeries = [
            (
                html.replacingCharacters(in: proofAt..<html.index(after: proofAt), with: digit),
                "its inclusion proof does not lead to the signed root"
            ),
            (
                html.replacingOccurrences(
                    of: #"ledger.test/pack\n\#(size)\n"#,
                    with: #"ledger.test/pack\n1\#(size)\n"#
                ), "the checkpoint carries no valid signature by ledger.test/pack"
            ),
        ]
        for (index, (forged, reason)) in forgeries.enumerated() {
            #expect(forged != html)
            let file = directory.appending("forged-\(index).html")
            try forged.write(toFile: file, atomically: true, encoding: .utf8)
            let dom = try await Chromium.dom(of: file, profile: profile).dom
            #expect(dom.contains(#"data-result="failed""#) && dom.contains(reason), "\(reason): \(dom.prefix(2000))")
        }

        for words in [["contract", "K000004"], ["commissioner", "LA1"], ["commissioner", "LA1", "2027"]] {
            let file = directory.appending(words.joined(separator: "-") + ".html")
            let other = try await LedgerctlProcess.run(
                ["report"] + words + ["--key", publicKey, "--out", file],
                socket: daemon.socketPath
            )
            #expect(other.status == 0, "\(words): \(other.stderr)")
            let dom = try await Chromium.dom(of: file, profile: profile).dom
            #expect(dom.contains(#"data-result="verified""#), "\(words): \(dom.prefix(2000))")
        }
    }

    @Test("a key that does not verify the checkpoint is refused and nothing is written", .timeLimit(.minutes(1)))
    func wrongKey() async throws {
        let (daemon, _) = try AuditTests.signingDaemon()
        defer { daemon.stop() }
        let directory = try TemporaryDirectory(prefix: "audit-pack")
        let other = try Keygen.signingConfig(in: directory, name: "ledger.test/audit")
        let pack = directory.appending("case.html")
        let refused = try await LedgerctlProcess.run(
            ["report", "case", "7", "--key", other.publicKey, "--out", pack],
            socket: daemon.socketPath
        )
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("ledgerctl: the daemon's checkpoint does not verify with the key: "))
        #expect(!FileManager.default.fileExists(atPath: pack))
        let usage = try await LedgerctlProcess.run(
            ["report", "case", "7", "2027", "--key", other.publicKey, "--out", pack],
            socket: daemon.socketPath
        )
        #expect(usage.status == 2 && usage.stderr.contains("a period goes with commissioner only"))
    }
}
