import LedgerProofs

#if canImport(Glibc)
import Glibc
#endif

/// A signing key on disk: the daemon's checkpoint signing key (`ledgerd keygen`) or a witness's cosigning key
/// (`ledgerctl witness keygen`). One line, `PRIVATE+KEY+<name>+<key id>+<base64>`, mode 0600, owned by the user that
/// signs with it; its verifier key goes next to it as `<path>.pub`.
public enum SigningKeyFile {
    /// The key name `ledgerd keygen` uses without `--name`: `<hostname>/commissioning-ledger`, a schema-less URL as
    /// C2SP tlog-checkpoint recommends for origins, with the host name lowercased and anything but `a-z`, `0-9`, `.`
    /// and `-` removed (`localhost` when nothing is left).
    public static var defaultName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        let host =
            gethostname(&buffer, buffer.count - 1) == 0
            ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        return defaultName(host: host)
    }

    /// The default key name for a machine called `host` (see `defaultName`).
    static func defaultName(host: String) -> String {
        let kept = host.lowercased().unicodeScalars.filter { scalar in
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "." || scalar == "-"
        }
        var name = Substring(String(kept))
        while name.first == "." || name.first == "-" { name.removeFirst() }
        while name.last == "." || name.last == "-" { name.removeLast() }
        return (name.isEmpty ? "localhost" : name) + "/commissioning-ledger"
    }

    /// Checks that `name` can name a key and a log's origin (C2SP signed-note and tlog-checkpoint): non-empty,
    /// without Unicode spaces, `+` or control characters, and schema-less (no `https://`).
    /// - Throws: `SigningKeyError.badName` saying what is wrong.
    public static func checkName(_ name: String) throws(SigningKeyError) {
        let problem: String? =
            if name.isEmpty {
                "it is empty"
            } else if name.unicodeScalars.contains(where: \.properties.isWhitespace) {
                "it contains a space"
            } else if name.contains("+") {
                "it contains +"
            } else if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                "it contains a control character"
            } else if name.contains("://") {
                "it has a scheme (write example.org/ledger, not https://example.org/ledger)"
            } else {
                nil
            }
        if let problem { throw .badName(name: name, problem: problem) }
    }

    /// Creates a new random key named `name` at `path` (mode 0600) and its verifier key at `path.pub` (mode 0644).
    ///
    /// Each file is written to a temporary file, synced and then linked into place, so it appears whole or not at
    /// all, and an existing file is never replaced.
    /// - Returns: the verifier key text.
    /// - Throws: `SigningKeyError.badName` for a name `checkName` refuses; `.exists` when either file exists; `.io`.
    public static func create(at path: String, name: String) throws(SigningKeyError) -> String {
        try create(at: path, name: name) { name throws(NoteError) in try KeyFile.generate(name: name) }
    }

    /// Creates a new random witness (cosigner) key named `name` at `path` (mode 0600) and its verifier key (type
    /// 0x04) at `path.pub` (mode 0644), as `create(at:name:)` does.
    /// - Returns: the witness's verifier key text.
    public static func createWitness(at path: String, name: String) throws(SigningKeyError) -> String {
        try create(at: path, name: name) { name throws(NoteError) in
            let cosigner = try Cosigner.generate(name: name)
            return (cosigner.privateKeyText, cosigner.verifier.text)
        }
    }

    private static func create(
        at path: String,
        name: String,
        generate: (String) throws(NoteError) -> (privateKey: String, publicKey: String)
    ) throws(SigningKeyError) -> String {
        try checkName(name)
        let publicPath = path + ".pub"
        for existing in [path, publicPath] where access(existing, F_OK) == 0 {
            throw .exists(path: existing)
        }
        let key: (privateKey: String, publicKey: String)
        do {
            key = try generate(name)
        } catch {
            throw .malformed(path: path, reason: "\(error)")
        }
        try writeNew(path, key.privateKey + "\n", mode: 0o600)
        try writeNew(publicPath, key.publicKey + "\n", mode: 0o644)
        return key.publicKey
    }

    /// Reads the key at `path` after checking that only its owner, the daemon's user, can read it.
    /// - Throws: `SigningKeyError.unsafePermissions` when group or others have any access or another user owns it;
    ///   `.io` when it cannot be read; `.malformed` when it is not a signing key.
    public static func load(_ path: String) throws(SigningKeyError) -> CheckpointSigner {
        let text = try readPrivate(path)
        do {
            return try CheckpointSigner(privateKeyText: text)
        } catch {
            throw .malformed(path: path, reason: "\(error)")
        }
    }

    /// Reads the witness key at `path`, with the same checks as `load`.
    public static func loadWitness(_ path: String) throws(SigningKeyError) -> Cosigner {
        let text = try readPrivate(path)
        do {
            return try Cosigner(privateKeyText: text)
        } catch {
            throw .malformed(path: path, reason: "\(error)")
        }
    }

    /// The text of the private key at `path`, once only its owner, this process's user, can read it.
    private static func readPrivate(_ path: String) throws(SigningKeyError) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { throw .io(path: path, reason: String(cString: strerror(errno))) }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw .unsafePermissions(path: path, detail: "has mode \(String(mode, radix: 8)), open to group or others")
        }
        guard info.st_uid == getuid() else {
            throw .unsafePermissions(path: path, detail: "is owned by uid \(info.st_uid), not the daemon's \(getuid())")
        }
        return try read(path)
    }

    private static func read(_ path: String) throws(SigningKeyError) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .io(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 1 << 16 {
            let count = Glibc.read(descriptor, &chunk, chunk.count)
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw .io(path: path, reason: String(cString: strerror(errno))) }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes `text` to a fresh temporary file with `mode`, syncs it and links it to `path`, which must not exist.
    private static func writeNew(_ path: String, _ text: String, mode: mode_t) throws(SigningKeyError) {
        let temporary = "\(path).tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw .io(path: temporary, reason: String(cString: strerror(errno))) }
        defer { unlink(temporary) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        let failure = errno
        close(descriptor)
        guard written == bytes.count, synced, chmod(temporary, mode) == 0 else {
            throw .io(path: temporary, reason: String(cString: strerror(failure)))
        }
        guard link(temporary, path) == 0 else {
            if errno == EEXIST { throw .exists(path: path) }
            throw .io(path: path, reason: String(cString: strerror(errno)))
        }
    }
}
