/// Where a paged answer goes on: at row `row` of `key`. For payments, the key is a contract and the row one of its
/// rows (counted in the contract's own order, those the answer leaves out included); for exceptions, the key is a log
/// position and the row one of the exceptions there. Its text is `<key>/<row>`; no key holds a `/`.
public struct ReadModelCursor: Sendable, Equatable {
    public var key: String
    public var row: Int

    public init(key: String, row: Int) {
        self.key = key
        self.row = row
    }

    /// Reads `<key>/<row>`; nil for anything else.
    public init?(text: String) {
        guard let slash = text.lastIndex(of: "/") else { return nil }
        let key = String(text[..<slash])
        let digits = text[text.index(after: slash)...]
        // An id's characters (`A-Z a-z 0-9 . _ : @ -`, at most 128), so the key it seeks is a valid one.
        let allowed = Set(".-_:@".utf8)
        guard (1...128).contains(key.utf8.count),
            key.utf8.allSatisfy({
                $0 < 0x80
                    && (Character(Unicode.Scalar($0)).isLetter || Character(Unicode.Scalar($0)).isNumber
                        || allowed.contains($0))
            }),
            (1...5).contains(digits.count),
            digits.allSatisfy({ $0.isASCII && $0.isNumber }), let row = Int(digits)
        else { return nil }
        self.key = key
        self.row = row
    }

    public var text: String { "\(key)/\(row)" }
}
