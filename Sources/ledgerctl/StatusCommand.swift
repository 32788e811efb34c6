import ArgumentParser
import LedgerClient
import LedgerJSON

/// `ledgerctl status`: the head, the Merkle root and the daemon's operational figures, then a line per projection.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the head position, the Merkle root and the daemon's figures."
    )

    @OptionGroup var connection: ConnectionOptions

    @Flag(name: .long, help: "Print the STATUS reply as JSON.")
    var json = false

    func run() async throws {
        let status = try await connection.withLedger { try await $0.status() }
        if json {
            Output.print(status.json.canonicalString)
            return
        }
        let reply = status.json
        var rows: [(String, String)] = [
            ("server", "\(text(reply["server"])) \(text(reply["version"]))"),
            ("head", String(status.head)),
            ("root", status.root),
            ("connections", text(reply["connections"])),
            (
                "map",
                "\(Format.bytes(reply["map"]?["used"])) used of \(Format.bytes(reply["map"]?["size"])) "
                    + "(max \(Format.bytes(reply["map"]?["maxSize"])))"
            ),
            ("readers", "\(text(reply["readers"]?["used"])) of \(text(reply["readers"]?["max"]))"),
            ("uptime", "\(text(reply["uptimeSeconds"])) s"),
            (
                "writer",
                "\(text(reply["writer"]?["commits"])) commits, \(text(reply["writer"]?["requests"])) requests, "
                    + "\(text(reply["writer"]?["events"])) events"
            ),
        ]
        for projection in reply["projections"]?.arrayValue ?? [] {
            rows.append(
                (
                    text(projection["name"]),
                    "at \(text(projection["position"])), lag \(text(projection["lag"])), "
                        + "checkpoint at \(text(projection["checkpoint"]))"
                )
            )
        }
        if let replication = reply["replication"] { rows.append(("replication", describe(replication))) }
        for consumer in status.consumers {
            let holder = consumer.active ? "held" : "not held"
            let standby = consumer.standby > 0 ? ", \(consumer.standby) standby" : ""
            rows.append(
                ("consumer", "\(consumer.name) acked \(consumer.acked), lag \(consumer.lag), \(holder)\(standby)")
            )
        }
        for (name, value) in rows {
            Output.print(name + String(repeating: " ", count: max(1, 12 - name.count)) + value)
        }
    }

    /// One line for `STATUS`'s `replication` object: the role and epoch, then the followers or the primary.
    private func describe(_ replication: JSONValue) -> String {
        let role = text(replication["role"])
        let epoch = "epoch \(text(replication["epoch"]))"
        switch role {
        case "follower":
            var line =
                "follower of \(text(replication["primary"])), \(epoch), \(text(replication["state"])), "
                + "lag \(text(replication["lagEvents"])) events"
            if let problem = replication["problem"]?.stringValue { line += " (\(problem))" }
            return line
        case "primary":
            let followers = (replication["followers"]?.arrayValue ?? []).map {
                "\(text($0["peer"])) lag \(text($0["lagEvents"]))"
            }
            return "primary, \(epoch), followers: " + (followers.isEmpty ? "none" : followers.joined(separator: "; "))
        default:
            return "\(role), \(epoch), primary \(text(replication["primary"]))"
        }
    }

    private func text(_ value: JSONValue?) -> String {
        guard let value else { return "?" }
        return value.stringValue ?? value.canonicalString
    }
}
