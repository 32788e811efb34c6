import EventLog
import LedgerJSON
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// A swift-log handler writing one JSON object per line to stderr, for log collectors:
/// `{"label","level","message","metadata","priority","source","time"}` with keys sorted, `time` in UTC with
/// microseconds and `priority` the level's syslog priority (`Logger.Level.syslogPriority`, 2 critical to 7 debug).
///
/// Metadata values logged as `.stringConvertible` integers, floating-point numbers or booleans are JSON numbers and
/// booleans; everything else is a string. When stderr is the journal (`journal`), each line starts with the `<N>`
/// priority prefix, which journald removes: the journal stores the object alone, at the event's priority.
public struct JSONLogHandler: LogHandler {
    private let label: String
    private let journal: Bool
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    /// A handler for loggers labelled `label`; `journal`: prefix each line with its syslog priority for journald.
    public init(label: String, journal: Bool = false) {
        self.label = label
        self.journal = journal
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
            "priority": .number(JSONNumber(event.level.syslogPriority)),
        ]
        var line = journal ? Array("<\(event.level.syslogPriority)>".utf8) : []
        line += object.canonicalBytes
        line.append(0x0A)
        _ = line.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }

    /// A metadata value as JSON: integers, floating-point numbers and booleans logged as `.stringConvertible` are
    /// numbers and booleans (a non-finite number is a string); other values are strings; arrays and dictionaries nest.
    ///
    /// The value's type decides, never its text: a string that reads as a number stays a string, so a key's JSON type
    /// does not change from one line to the next.
    static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let flag as Bool): .bool(flag)
        case .stringConvertible(let number) where number is any BinaryInteger || number is any BinaryFloatingPoint:
            JSONNumber(literal: number.description).map(JSONValue.number) ?? .string(number.description)
        case .stringConvertible(let convertible): .string(convertible.description)
        case .array(let values): .array(values.map(json))
        case .dictionary(let values): .object(values.mapValues(json))
        }
    }
}
