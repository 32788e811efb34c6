import LedgerJSON

/// Reads the events to append from NDJSON (one JSON object per line, blank lines skipped) or from one JSON array,
/// each with the line it starts on, holding only a window of the input in memory.
struct EventFileReader {
    /// One event of the input.
    struct Record {
        /// The 1-based line the event starts on.
        var line: Int
        /// The event object.
        var event: JSONValue
        /// The event's bytes in the input: at least its size on the wire.
        var size: Int
    }

    /// Why the input cannot be used, and on which line.
    struct Failure: Error {
        var line: Int
        var reason: String
    }

    private enum Format {
        case lines
        case array
    }

    private let input: InputFile
    private var buffer = [UInt8]()
    /// `buffer[..<start]` is consumed.
    private var start = 0
    /// The line of `buffer[start]`.
    private var line = 1
    private var format: Format?
    private var atEnd = false
    /// In an array: `]` was seen.
    private var arrayClosed = false
    /// In an array: the last element ended with a comma, so another must follow.
    private var afterComma = false

    /// The longest line or array element accepted, in bytes.
    static let maxRecordBytes = 16 << 20

    init(_ input: InputFile) {
        self.input = input
    }

    /// The next event; nil at the end of the input.
    mutating func next() throws(Failure) -> Record? {
        if start >= 1 << 20 {
            buffer.removeFirst(start)
            start = 0
        }
        if format == nil {
            guard try detectFormat() else { return nil }
        }
        return format == .array ? try nextElement() : try nextLine()
    }

    /// Skips leading whitespace and decides between NDJSON and an array; false when the input is empty.
    private mutating func detectFormat() throws(Failure) -> Bool {
        while true {
            while start < buffer.count, Self.isWhitespace(buffer[start]) {
                if buffer[start] == UInt8(ascii: "\n") { line += 1 }
                start += 1
            }
            if start < buffer.count { break }
            guard try readMore() else { return false }
        }
        if buffer[start] == UInt8(ascii: "[") {
            format = .array
            start += 1
        } else {
            format = .lines
        }
        return true
    }

    private mutating func nextLine() throws(Failure) -> Record? {
        var searchFrom = start
        while true {
            let end: Int
            if let newline = buffer[searchFrom...].firstIndex(of: UInt8(ascii: "\n")) {
                end = newline
            } else {
                guard buffer.count - start <= Self.maxRecordBytes else {
                    throw Failure(line: line, reason: "the line is longer than \(Self.maxRecordBytes) bytes")
                }
                searchFrom = buffer.count
                if try readMore() { continue }
                guard start < buffer.count else { return nil }
                end = buffer.count
            }
            let text = buffer[start..<end]
            let lineNumber = line
            start = min(end + 1, buffer.count)
            line += 1
            searchFrom = start
            if text.allSatisfy(Self.isWhitespace) { continue }
            return try Self.record(text, line: lineNumber)
        }
    }

    private mutating func nextElement() throws(Failure) -> Record? {
        guard !arrayClosed else {
            try expectOnlyWhitespace()
            return nil
        }
        var index = start
        var lineAtIndex = line
        var depth = 0
        var inString = false
        var escaped = false
        var elementStart: Int?
        var elementLine = line
        while true {
            guard index < buffer.count else {
                guard index - start <= Self.maxRecordBytes else {
                    throw Failure(line: elementLine, reason: "an event is longer than \(Self.maxRecordBytes) bytes")
                }
                guard try readMore() else {
                    throw Failure(line: lineAtIndex, reason: "the JSON array is not closed with ]")
                }
                continue
            }
            let byte = buffer[index]
            if byte == UInt8(ascii: "\n") { lineAtIndex += 1 }
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                index += 1
                continue
            }
            if elementStart == nil, !Self.isWhitespace(byte), byte != UInt8(ascii: ","),
                !(depth == 0 && byte == UInt8(ascii: "]"))
            {
                elementStart = index
                elementLine = lineAtIndex
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth > 0 {
                    depth -= 1
                    break
                }
                guard byte == UInt8(ascii: "]") else {
                    throw Failure(line: lineAtIndex, reason: "unexpected } in the JSON array")
                }
                arrayClosed = true
                start = index + 1
                line = lineAtIndex
                if let elementStart { return try Self.record(buffer[elementStart..<index], line: elementLine) }
                if afterComma { throw Failure(line: lineAtIndex, reason: "a comma before the closing ]") }
                try expectOnlyWhitespace()
                return nil
            case UInt8(ascii: ",") where depth == 0:
                guard let elementStart else {
                    throw Failure(line: lineAtIndex, reason: "an empty element in the JSON array")
                }
                afterComma = true
                start = index + 1
                line = lineAtIndex
                return try Self.record(buffer[elementStart..<index], line: elementLine)
            default:
                break
            }
            index += 1
        }
    }

    /// Checks that nothing but whitespace follows the array.
    private mutating func expectOnlyWhitespace() throws(Failure) {
        while true {
            while start < buffer.count {
                let byte = buffer[start]
                guard Self.isWhitespace(byte) else {
                    throw Failure(line: line, reason: "unexpected data after the JSON array")
                }
                if byte == UInt8(ascii: "\n") { line += 1 }
                start += 1
            }
            guard try readMore() else { return }
        }
    }

    private mutating func readMore() throws(Failure) -> Bool {
        guard !atEnd else { return false }
        do {
            if try input.read(into: &buffer) { return true }
        } catch {
            throw Failure(line: line, reason: error.message)
        }
        atEnd = true
        return false
    }

    /// Parses one event's text, which starts on `line`.
    private static func record(_ text: ArraySlice<UInt8>, line: Int) throws(Failure) -> Record {
        let event: JSONValue
        do {
            event = try JSONParser.parse(text)
        } catch {
            let errorLine = line + text.prefix(error.offset).count(where: { $0 == UInt8(ascii: "\n") })
            throw Failure(line: errorLine, reason: "invalid JSON: \(error)")
        }
        guard case .object = event else {
            throw Failure(line: line, reason: #"an event must be a JSON object {"id","type","data","meta"}"#)
        }
        return Record(line: line, event: event, size: text.count)
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
            || byte == UInt8(ascii: "\r")
    }
}
