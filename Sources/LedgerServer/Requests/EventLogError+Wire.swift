import EventLog
import LedgerJSON
import LedgerProtocol
import LedgerWire

extension EventLogError {
    /// The wire error for this failure.
    var wire: ProtocolError {
        switch self {
        case .invalidEvent(let index, let field, let message):
            ProtocolError(
                .invalidEvent,
                description,
                fields: ["index": .number(.init(index)), "field": .string(field), "reason": .string(message)]
            )
        case .invalidStreamName, .invalidBatch:
            ProtocolError(.badRequest, description)
        case .wrongExpectedVersion(let stream, let expected, let actual):
            ProtocolError(
                .wrongExpectedVersion,
                description,
                fields: ["stream": .string(stream), "expected": expected.json, "actual": .number(.init(actual))]
            )
        case .duplicateID(let id, let position, _):
            ProtocolError(
                .duplicateID,
                description,
                fields: ["id": .string(id.description), "position": .number(.init(position))]
            )
        case .storageFull:
            ProtocolError(.storageFull, description)
        case .integrity(let position, _):
            ProtocolError(.integrity, description, fields: ["position": .number(.init(position))])
        case .shuttingDown:
            ProtocolError(.shuttingDown, description)
        case .locked, .storage, .damaged:
            ProtocolError(.internal, description)
        case .beyondHead(let requested, let head):
            ProtocolError(
                .notFound,
                description,
                fields: ["requested": .number(.init(requested)), "head": .number(.init(head))]
            )
        case .invalidArgument:
            ProtocolError(.badRequest, description)
        case .readOnly(let epoch, let primary):
            ProtocolError(
                .readOnly,
                description,
                fields: ["epoch": .number(.init(epoch))].merging(primary.map { ["primary": .string($0)] } ?? [:]) {
                    first,
                    _ in first
                }
            )
        }
    }
}

extension ExpectedVersion {
    /// A number for an exact version, else the keyword.
    var json: JSONValue {
        if case .exact(let version) = self { return .number(.init(version)) }
        return .string(description)
    }
}
