/// The fixed parts of an audit pack: its style sheet and the script that verifies it in the browser.
enum AuditPackAssets {
    /// The style sheet.
    static let style = #"""
        body { font: 15px/1.45 system-ui, sans-serif; color: #1b1b1b; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; }
        h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
        h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
        table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
        th, td { text-align: left; padding: 0.25rem 0.5rem; border-bottom: 1px solid #eee; vertical-align: top; }
        td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        td.nowrap, td.check { white-space: nowrap; }
        pre { white-space: pre-wrap; word-break: break-all; background: #f6f6f6; padding: 0.5rem; margin: 0.25rem 0; }
        #status { padding: 0.75rem 1rem; border-radius: 6px; background: #eee; margin: 1rem 0; }
        #status.good { background: #e3f4e5; border: 2px solid #2e7d32; }
        #status.bad { background: #fbe5e5; border: 2px solid #c62828; }
        #status strong { font-size: 1.1rem; }
        td.good { color: #2e7d32; } td.bad { color: #c62828; font-weight: bold; }
        .muted { color: #555; }
        .legend span { display: inline-block; width: 0.8rem; height: 0.8rem; margin: 0 0.3rem 0 1rem; vertical-align: middle; }
        """#

    /// The verifier: checks the checkpoint's Ed25519 signature with the key (WebCrypto), then each event's leaf hash
    /// and inclusion proof up to the signed root, draws the events from the bytes it checked and sets `#status` to
    /// `data-result="verified"` or `"failed"` with what failed.
    static let script = #"""
        "use strict";
        // Verifies this audit pack with nothing but the browser: the checkpoint's Ed25519 signature (C2SP signed note), then
        // each event's leaf hash (SHA-256 of 0x00 and its bytes) and inclusion proof up to the signed root (RFC 9162
        // 2.1.3.2). Everything shown under "Events" is drawn from the bytes verified here.
        (async () => {
          const data = JSON.parse(document.getElementById("pack-data").textContent);
          const encoder = new TextEncoder();
          const hex = (bytes) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
          const unhex = (text) => Uint8Array.from(text.match(/../g) || [], (pair) => parseInt(pair, 16));
          const unbase64 = (text, what) => {
            try {
              return Uint8Array.from(atob(text), (character) => character.charCodeAt(0));
            } catch {
              throw new Error(`${what} is not base64`);
            }
          };
          const equal = (left, right) => left.length === right.length && left.every((byte, index) => byte === right[index]);
          const concat = (...parts) => {
            const joined = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
            let offset = 0;
            for (const part of parts) { joined.set(part, offset); offset += part.length; }
            return joined;
          };
          const sha256 = async (bytes) => new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
          const element = (tag, text, className) => {
            const node = document.createElement(tag);
            if (text !== undefined) node.textContent = text;
            if (className) node.className = className;
            return node;
          };

          // The root of the tree of `size` leaves that `path` proves leaf `index` (hash `leaf`) in, or null.
          async function rootFromInclusion(leaf, index, size, path) {
            if (index >= size) return null;
            let fn = index, sn = size - 1, root = leaf;
            for (const sibling of path) {
              if (sn === 0) return null;
              if (fn % 2 === 1 || fn === sn) {
                root = await sha256(concat(Uint8Array.of(1), sibling, root));
                while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
              } else {
                root = await sha256(concat(Uint8Array.of(1), root, sibling));
              }
              fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
            }
            return sn === 0 ? root : null;
          }

          // The checkpoint's origin, size and root once its signature by `key` verifies; throws saying what failed.
          async function verifyCheckpoint(note, key) {
            const [name, keyID, ...rest] = key.trim().split("+");
            const keyBytes = unbase64(rest.join("+"), "the verifier key");
            if (!name || keyBytes.length !== 33 || keyBytes[0] !== 1) throw new Error("the verifier key is not an Ed25519 key");
            const id = (await sha256(concat(encoder.encode(name + "\n"), keyBytes))).slice(0, 4);
            if (hex(id) !== keyID) throw new Error("the verifier key's id does not match its name and public key");
            const end = note.lastIndexOf("\n\n");
            if (end < 0) throw new Error("the checkpoint is not a signed note");
            const text = note.slice(0, end + 1);
            let publicKey;
            try {
              publicKey = await crypto.subtle.importKey("raw", keyBytes.slice(1), { name: "Ed25519" }, false, ["verify"]);
            } catch (error) {
              throw new Error("this browser's WebCrypto cannot check Ed25519 signatures (" + error.message + ")");
            }
            let signed = false;
            for (const line of note.slice(end + 2).split("\n").filter((line) => line !== "")) {
              const match = /^\u2014 (\S+) (\S+)$/.exec(line);
              if (!match) throw new Error(`the checkpoint has a malformed signature line: ${line}`);
              if (match[1] !== name) continue;
              const signature = unbase64(match[2], "a signature");
              if (signature.length !== 68 || !equal(signature.slice(0, 4), id)) continue;
              signed ||= await crypto.subtle.verify({ name: "Ed25519" }, publicKey, signature.slice(4), encoder.encode(text));
            }
            if (!signed) throw new Error(`the checkpoint carries no valid signature by ${name}`);
            const [origin, size, root] = text.split("\n");
            if (!/^[0-9]+$/.test(size)) throw new Error("the checkpoint's size is not a number");
            return { origin, size: Number(size), root: unbase64(root, "the checkpoint's root"), name, keyID };
          }

          function showEvent(event, problem) {
            const row = element("tr");
            row.id = "event-" + event.position;
            let fields = {};
            try { fields = JSON.parse(event.bytes); } catch { }
            row.append(element("td", String(event.position), "number"), element("td", `${fields.stream ?? "?"} v${fields.version ?? "?"}`),
              element("td", fields.type ?? "?"), element("td", problem ? "not verified: " + problem : "verified", problem ? "bad" : "good"));
            const detail = element("tr");
            const cell = element("td");
            cell.colSpan = 4;
            const bytes = element("pre", event.bytes);
            const proof = element("details");
            proof.append(element("summary", `leaf hash ${event.leaf}; inclusion proof of ${event.proof.length} hashes`),
              element("pre", event.proof.join("\n")));
            cell.append(bytes, proof);
            detail.append(cell);
            document.getElementById("events").append(row, detail);
          }

          const status = document.getElementById("status");
          const failures = [];
          const verified = new Map();
          let checkpoint = null;
          try {
            document.getElementById("note").textContent = data.note;
            document.getElementById("key").textContent = data.key;
            try {
              if (!globalThis.crypto?.subtle) throw new Error("this browser offers no WebCrypto to this page (open the file itself)");
              checkpoint = await verifyCheckpoint(data.note, data.key);
            } catch (error) {
              failures.push(error.message);
            }
            for (const event of data.events) {
              let problem = null;
              if (!Number.isSafeInteger(event.position) || event.position < 1) {
                problem = "its position is not a whole number from 1";
                failures.push(`an event: ${problem}`);
              } else if (!checkpoint) {
                problem = "the checkpoint did not verify";
              } else {
                const leaf = await sha256(concat(Uint8Array.of(0), encoder.encode(event.bytes)));
                const root = await rootFromInclusion(leaf, event.position - 1, checkpoint.size, event.proof.map(unhex));
                if (hex(leaf) !== event.leaf) problem = `its bytes hash to ${hex(leaf)}, not to the leaf hash stated`;
                else if (!root || !equal(root, checkpoint.root)) problem = "its inclusion proof does not lead to the signed root";
                if (problem) failures.push(`event ${event.position}: ${problem}`);
              }
              showEvent(event, problem);
              if (!problem) verified.set(event.position, event.leaf);
            }
            // Each timeline row names the event it shows: that event must be one verified above.
            for (const row of document.querySelectorAll("tr[data-position]")) {
              const position = Number(row.dataset.position);
              const leaf = verified.get(position);
              const matches = leaf !== undefined && (!row.dataset.leaf || row.dataset.leaf === leaf);
              if (checkpoint && !matches) failures.push(`the timeline's row for position ${position} is not a verified event of this pack`);
              const cell = row.querySelector("td.check");
              if (cell) {
                cell.textContent = matches ? "in the log" : "not verified";
                cell.className = matches ? "check good" : "check bad";
              }
            }
          } catch (error) {
            failures.push("the check stopped: " + error.message);
          }
          const passed = failures.length === 0;
          const events = data.events.length === 0 ? "the pack holds no events" : `all ${data.events.length} events are in it`;
          status.dataset.result = passed ? "verified" : "failed";
          status.className = passed ? "good" : "bad";
          status.querySelector("strong").textContent = passed
            ? `Verified: the checkpoint of size ${checkpoint.size} is signed by ${checkpoint.name} (key ID ${checkpoint.keyID}), and ${events}.`
            : `Not verified: ${failures.length} ${failures.length === 1 ? "problem" : "problems"}.`;
          const notes = passed
            ? ["Compare the key at the end of this page with the one the ledger's operator publishes: the pack proves only what that key signed."]
            : failures;
          status.querySelector("ul").replaceChildren(...notes.map((note) => element("li", note)));
        })();
        """#
}
