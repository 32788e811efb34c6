import LedgerWire

/// The details of a `WRONG_EXPECTED_VERSION` refusal: nothing was written because `stream` was at `actual`, not at
/// what the append expected.
public struct VersionConflict: Sendable, Hashable {
    public var stream: String
    /// What the append expected.
    public var expected: ExpectedVersion
    /// The stream's version when the append was judged (0: it had no events).
    public var actual: UInt64

    public init(stream: String, expected: ExpectedVersion, actual: UInt64) {
        self.stream = stream
        self.expected = expected
        self.actual = actual
    }
}

extension LedgerClientError {
    /// The version conflict this error reports; nil for any other error.
    public var versionConflict: VersionConflict? {
        guard case .server(.wrongExpectedVersion, _, let details) = self,
            let stream = details["stream"]?.stringValue,
            let actual = details["actual"]?.int64Value, actual >= 0,
            let expectedText = details["expected"].map({ $0.stringValue ?? $0.int64Value.map(String.init) ?? "" }),
            let expected = ExpectedVersion(expectedText)
        else { return nil }
        return VersionConflict(stream: stream, expected: expected, actual: UInt64(actual))
    }
}
