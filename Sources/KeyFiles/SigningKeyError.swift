/// Why a checkpoint signing key file cannot be created or used.
public enum SigningKeyError: Error, Sendable, CustomStringConvertible {
    /// `ledgerd keygen` never overwrites a key.
    case exists(path: String)
    /// The key file can be read by other users than its owner, or is not owned by the daemon's user.
    case unsafePermissions(path: String, detail: String)
    /// The file cannot be read or written.
    case io(path: String, reason: String)
    /// The file does not hold a signing key (or the name is not a valid key name).
    case malformed(path: String, reason: String)
    /// The name cannot name a key and a log's origin (`SigningKeyFile.checkName`).
    case badName(name: String, problem: String)

    public var description: String {
        switch self {
        case .exists(let path):
            "\(path) already exists; keygen never overwrites a key (move it away first)"
        case .unsafePermissions(let path, let detail):
            "the signing key file \(path) \(detail); it must be readable by its owner only (chmod 600)"
        case .io(let path, let reason):
            "\(path): \(reason)"
        case .malformed(let path, let reason):
            "\(path) is not a signing key: \(reason)"
        case .badName(let name, let problem):
            "the key name \"\(name)\" cannot be a log's origin: \(problem); use a schema-less URL such as "
                + "ledger.example.org/council-7 (no spaces or +)"
        }
    }
}
