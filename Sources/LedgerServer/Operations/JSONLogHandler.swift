import EventLog
import LedgerJSON
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// A swift-log handler writing one JSON object per line to stderr, for log collectors:
/// `{"label","level","message","metadata","source","time"}` with keys sorted and `time` in UTC with microseconds.
public struct JSONLogHandler: LogHandler {
    private let label: String
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    /// A handler for loggers labelled `label`.
    public init(label: String) {
        self.label = label
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let object: JSONValue = [
            "time": .string(RecordedTime.now().description), "level": .string(event.level.rawValue),
            "label": .string(label), "message": .string(event.message.description), "source": .string(event.source),
            "metadata": .object(merged.mapValues(Self.json)),
        ]
        var line = object.canonicalBytes
        line.append(0x0A)
        _ = line.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }

    /// A metadata value as JSON: strings stay strings, arrays and dictionaries nest.
    static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let convertible): .string(convertible.description)
        case .array(let values): .array(values.map(json))
        case .dictionary(let values): .object(values.mapValues(json))
        }
    }
}
