import LedgerClient

/// A failure reported as one line on stderr and an exit code: 1 refused or bad input, 2 usage, 3 cannot connect. Its
/// description is its message, so a failure quoted inside another's message reads as a sentence.
struct CommandFailure: Error, CustomStringConvertible {
    var message: String
    var exitCode: Int32

    /// The ledger refused the request, or the input is bad (exit 1).
    static func refused(_ message: String) -> CommandFailure { CommandFailure(message: message, exitCode: 1) }

    /// The command line or its files cannot be used (exit 2).
    static func usage(_ message: String) -> CommandFailure { CommandFailure(message: message, exitCode: 2) }

    var description: String { message }

    init(message: String, exitCode: Int32) {
        self.message = message
        self.exitCode = exitCode
    }

    /// The failure for a client error, with `context` (such as the file and line) in front of its message.
    init(_ error: LedgerClientError, context: String? = nil) {
        let prefix = context.map { "\($0): " } ?? ""
        switch error {
        case .server, .protocolViolation:
            self.init(message: prefix + error.description, exitCode: 1)
        case .cannotConnect:
            self.init(message: error.description, exitCode: 3)
        case .connectionClosed:
            self.init(message: prefix + "the connection to ledgerd was lost", exitCode: 3)
        case .invalidArgument:
            self.init(message: prefix + error.description, exitCode: 2)
        }
    }

    /// The failure for any error a command threw; `parserMessage` and `parserCode` are ArgumentParser's message and
    /// exit code for its own errors (help requests exit 0, usage errors exit 2).
    init(_ error: any Error, parserMessage: String, parserCode: Int32) {
        if let failure = error as? CommandFailure {
            self = failure
        } else if let error = error as? LedgerClientError {
            self.init(error)
        } else {
            self.init(message: parserMessage, exitCode: parserCode == 0 ? 0 : 2)
        }
    }
}
