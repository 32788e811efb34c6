import LedgerJSON
import LedgerProtocol
import NIOCore

/// Builds request lines, refusing arguments that would change the line's meaning.
enum RequestLine {
    /// `VERB ARG ...` then the optional JSON, then LF.
    /// - Throws: `LedgerClientError.invalidArgument` for an empty argument, one with a space or control character,
    ///   or one that starts like JSON.
    static func make(
        _ verb: Verb,
        _ arguments: [String],
        json: JSONValue? = nil
    ) throws(LedgerClientError)
        -> ByteBuffer
    {
        var bytes = Array(verb.rawValue.utf8)
        for argument in arguments {
            guard let first = argument.utf8.first, first != UInt8(ascii: "{"), first != UInt8(ascii: "["),
                argument.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7F })
            else {
                throw .invalidArgument(
                    "\(verb.rawValue) argument \"\(argument.prefix(64))\" is empty, starts like JSON or has a space or control character"
                )
            }
            bytes.append(UInt8(ascii: " "))
            bytes.append(contentsOf: argument.utf8)
        }
        if let json {
            bytes.append(UInt8(ascii: " "))
            json.write(to: &bytes)
        }
        bytes.append(UInt8(ascii: "\n"))
        return ByteBuffer(bytes: bytes)
    }
}
