/// Why a backup could not be made or restored.
public enum BackupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The backup name breaks the naming rule (it becomes a directory name).
    case invalidName(String)
    /// The backup or restore target already exists; nothing is overwritten.
    case exists(String)
    /// A file operation failed; the message names the path and the system's reason.
    case io(String)
    /// The file system is full.
    case storageFull(String)
    /// `manifest.json` is missing or malformed.
    case badManifest(String)
    /// The copy does not match its manifest.
    case mismatch(String)
    /// Opening or verifying the copy failed.
    case log(EventLogError)

    public var description: String {
        switch self {
        case .invalidName(let name):
            "invalid backup name \"\(name.prefix(64))\": use 1-128 characters A-Z a-z 0-9 . _ : @ -, starting with a letter or digit"
        case .exists(let path): "\(path) already exists; choose another name or remove it first"
        case .io(let message): message
        case .storageFull(let message): "storage full: \(message)"
        case .badManifest(let message): "bad backup manifest: \(message)"
        case .mismatch(let message): "the backup does not match its manifest: \(message)"
        case .log(let error): error.description
        }
    }
}
