/// Why `DataFileCheck` refuses an LMDB data file: opening it would map pages the file does not hold, or it is not an
/// LMDB data file at all.
public enum DataFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file is shorter than its newer meta page needs (mapping it would end in `SIGBUS`).
    case truncated(path: String, size: Int, meta: DataFileCheck.Meta)
    /// A meta page is missing or malformed.
    case notLMDB(path: String, reason: String)
    /// The file cannot be opened or read.
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .truncated(let path, let size, let meta):
            "\(path) is truncated: it has \(size) bytes, but its LMDB meta page (transaction \(meta.transaction)) "
                + "needs \(meta.neededBytes) (\(meta.lastPage + 1) pages of \(meta.pageSize) bytes)"
        case .notLMDB(let path, let reason):
            "\(path) is not a sound LMDB data file: \(reason)"
        case .unreadable(let path, let reason):
            "cannot read \(path): \(reason)"
        }
    }
}
