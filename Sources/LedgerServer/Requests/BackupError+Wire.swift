import EventLog
import LedgerProtocol

extension BackupError {
    /// The wire error for this failure: a bad or taken name is the client's to fix (`BAD_REQUEST`), a full disk is
    /// `STORAGE_FULL`, anything else is the server's (`INTERNAL`).
    var wire: ProtocolError {
        switch self {
        case .invalidName, .exists: ProtocolError(.badRequest, description)
        case .storageFull: ProtocolError(.storageFull, description)
        case .log(let error): error.wire
        case .io, .badManifest, .mismatch: ProtocolError(.internal, description)
        }
    }
}
