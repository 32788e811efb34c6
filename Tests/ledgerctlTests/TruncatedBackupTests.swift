import Foundation
import LedgerTestSupport
import Testing

/// A backup whose `data.mdb` was cut short and whose manifest was edited to match its size: `ledgerctl restore` used
/// to map the file and die with SIGBUS, leaving its temporary copy behind.
@Suite("restore refuses a truncated backup", .serialized)
struct TruncatedBackupTests {
    @Test("a truncated data.mdb with a matching manifest: exit 1 naming the sizes, nothing left behind")
    func truncatedBackup() throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        let client = try daemon.connect()
        let padding = String(repeating: "p", count: 2000)
        for index in 1...200 {
            let reply = try client.request(
                #"APPEND s any {"id":"\#(uuid(index))","type":"x-load","data":{"i":\#(index),"p":"\#(padding)"}}"#
            )
            #expect(reply.hasPrefix("OK "))
        }
        #expect(try client.request("BACKUP whole").hasPrefix(#"OK {"bytes":"#))
        #expect(daemon.stop() == 0)
        let whole = daemon.dataDirectory + "-backups/whole"
        let full = try #require(
            FileManager.default.attributesOfItem(atPath: whole + "/data.mdb")[.size] as? Int
        )
        let scratch = try TemporaryDirectory(prefix: "restore")
        for (label, length) in [("one page short", full - 4096), ("half", full / 2)] {
            let backup = scratch.appending("backup")
            try FileManager.default.copyItem(atPath: whole, toPath: backup)
            defer { try? FileManager.default.removeItem(atPath: backup) }
            #expect(truncate(backup + "/data.mdb", off_t(length)) == 0)
            let manifestPath = backup + "/manifest.json"
            var manifest = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: manifestPath)))
                    as? [String: Any]
            )
            manifest["bytes"] = length
            try JSONSerialization.data(withJSONObject: manifest).write(to: URL(fileURLWithPath: manifestPath))

            let target = scratch.appending("restored")
            let outcome = try LedgerctlProcess.run(["restore", backup, target], socket: nil)
            #expect(outcome.status == 1, "\(label): \(outcome.status) \(outcome.stderr)")
            #expect(
                outcome.stderr.contains("\(backup)/data.mdb is truncated: it has \(length) bytes"),
                "\(label): \(outcome.stderr)"
            )
            #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == ["backup"], "\(label)")
        }
    }
}
