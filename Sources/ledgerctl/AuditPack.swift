import Crypto
import LedgerJSON
import LedgerProofs

/// A self-contained HTML audit pack: the decisions and payments the ledger's projections show, and the events
/// behind them with their inclusion proofs, the signed checkpoint and the verifier key, verified in the browser by an
/// embedded script. Nothing is loaded from the network.
struct AuditPack {
    /// What the pack is of, e.g. `case C000002`.
    var title: String
    /// When it was made (UTC), e.g. `2026-12-07 06:58:38`.
    var generated: String
    /// The checkpoint's origin and size.
    var origin: String
    var size: UInt64
    /// The signed checkpoint and the key that verifies it.
    var note: String
    var key: String
    /// The heading of the timeline and its entries (`QUERY audit` rows or exceptions), shown by `timelineColumns`.
    var timelineHeading: String
    var timeline: [JSONValue]
    var timelineColumns: [TableColumn]
    /// Payments by period.
    var periods: [PaymentPeriod]
    /// The events, each proved in the tree of `size`.
    var events: [ProvedEvent]
    /// How many events of the trail came after the checkpoint (none when it is signed at the head).
    var later: Int

    /// The pack as one HTML document.
    var html: String {
        var page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; \
            script-src '\(Self.scriptHash)'; base-uri 'none'; form-action 'none'">
            <title>Audit pack: \(HTML.escape(title))</title>
            <style>
            \(AuditPackAssets.style)</style>
            </head>
            <body>
            <h1>Audit pack: \(HTML.escape(title))</h1>
            <p class="muted">Ledger <code>\(HTML.escape(origin))</code>, signed checkpoint of size \(size), \
            made \(HTML.escape(generated)) UTC by ledgerctl. This file loads nothing from the network.</p>
            <div id="status" data-result="pending"><strong>Not verified yet: the check needs JavaScript.</strong><ul>\
            </ul></div>

            """
        page += timelineSection + paymentsSection + eventsSection
        page += """
            <h2>Signed checkpoint and key</h2>
            <p>The checkpoint is a C2SP signed note; the key is its verifier key. Check them elsewhere with \
            <code>ledgerctl audit</code> or any C2SP signed-note and RFC 6962 implementation.</p>
            <pre id="note"></pre>
            <pre id="key"></pre>
            <script type="application/json" id="pack-data">\(dataJSON)</script>
            <script>\(Self.scriptContent)</script>
            </body>
            </html>

            """
        return page
    }

    private var timelineSection: String {
        var section = """
            <h2>\(HTML.escape(timelineHeading))</h2>
            <p class="muted">As the ledger's projections show it. The check marks each row whose event is one of the \
            verified events below.</p>

            """
        guard !timeline.isEmpty else { return section + "<p>None.</p>\n" }
        section += "<table><thead><tr>"
        for column in timelineColumns {
            section += "<th\(column.unit == .pounds ? " class=\"number\"" : "")>\(HTML.escape(column.header))</th>"
        }
        section += "<th>check</th></tr></thead><tbody>\n"
        for entry in timeline {
            let position = entry["position"]?.int64Value ?? 0
            let leaf = entry["leafHash"]?.stringValue.map { " data-leaf=\"\(HTML.escape($0))\"" } ?? ""
            section += "<tr data-position=\"\(position)\"\(leaf)>"
            for column in timelineColumns {
                let text = entry[column.path].map(column.text) ?? ""
                if column.path == "position" {
                    section += "<td class=\"number\"><a href=\"#event-\(position)\">\(position)</a></td>"
                } else {
                    let style =
                        column.unit == .pounds ? " class=\"number\"" : column.unit == .utc ? " class=\"nowrap\"" : ""
                    section += "<td\(style)>\(HTML.escape(text))</td>"
                }
            }
            section += "<td class=\"check\">not checked</td></tr>\n"
        }
        return section + "</tbody></table>\n"
    }

    private var paymentsSection: String {
        var section = """
            <h2>Payments by period</h2>
            <p class="muted">From the ledger's payment projection, in pounds: figures computed from the events, \
            which the check above does not recompute.</p>

            """
        guard !periods.isEmpty else { return section + "<p>No payment periods.</p>\n" }
        section += PaymentChart(periods: periods).svg
        section += """
            <table><thead><tr><th>period</th><th class="number">due £</th><th class="number">paid £</th>\
            <th class="number">outstanding £</th><th class="number">withheld £</th><th>withheld for</th></tr></thead>\
            <tbody>

            """
        for period in periods {
            section += "<tr><td class=\"nowrap\">\(HTML.escape(period.period))</td>"
            for pence in [period.due, period.paid, period.outstanding, period.withheld] {
                section += "<td class=\"number\">\(Format.amount(pence: pence))</td>"
            }
            section += "<td>\(HTML.escape(period.reasons.joined(separator: "; ")))</td></tr>\n"
        }
        return section + "</tbody></table>\n"
    }

    private var eventsSection: String {
        let note =
            later > 0 ? " \(later) later events of the trail are not in this checkpoint and are not included." : ""
        return """
            <h2>Events</h2>
            <p>Each event's exact stored bytes, its leaf hash and its inclusion proof in the signed tree of size \
            \(size). The table is drawn from the bytes the check above hashed.\(note)</p>
            <noscript><p>Enable JavaScript to verify and show the events.</p></noscript>
            <table><thead><tr><th class="number">position</th><th>stream</th><th>type</th><th>check</th></tr></thead>\
            <tbody id="events"></tbody></table>

            """
    }

    /// The verifier script as the `<script>` element holds it.
    private static let scriptContent = "\n" + AuditPackAssets.script

    /// The Content Security Policy source that lets this one script run and no other (CSP 3 hash source).
    private static let scriptHash = "sha256-" + Base64.encode(Array(SHA256.hash(data: Array(scriptContent.utf8))))

    /// The data the script verifies, as JSON safe inside a `<script>` element.
    private var dataJSON: String {
        let events = events.map { event -> JSONValue in
            [
                "position": .number(JSONNumber(event.position)), "bytes": .string(event.bytes),
                "leaf": .string(event.leaf), "proof": .array(event.proof.map(JSONValue.string)),
            ]
        }
        let data: JSONValue = ["note": .string(note), "key": .string(key), "events": .array(events)]
        return HTML.scriptSafe(json: data.canonicalString)
    }
}
