/// Where a paged answer goes on: at row `row` of the contract `contract` (rows counted in the contract's own order,
/// those the answer leaves out included). Its text is `<contract>/<row>`; no contract id holds a `/`.
public struct ReadModelCursor: Sendable, Equatable {
    public var contract: String
    public var row: Int

    public init(contract: String, row: Int) {
        self.contract = contract
        self.row = row
    }

    /// Reads `<contract>/<row>`; nil for anything else.
    public init?(text: String) {
        guard let slash = text.lastIndex(of: "/") else { return nil }
        let contract = String(text[..<slash])
        let digits = text[text.index(after: slash)...]
        // A contract id's characters (`A-Z a-z 0-9 . _ : @ -`, at most 128), so the key it seeks is a valid one.
        let allowed = Set(".-_:@".utf8)
        guard (1...128).contains(contract.utf8.count),
            contract.utf8.allSatisfy({
                $0 < 0x80
                    && (Character(Unicode.Scalar($0)).isLetter || Character(Unicode.Scalar($0)).isNumber
                        || allowed.contains($0))
            }),
            (1...5).contains(digits.count),
            digits.allSatisfy({ $0.isASCII && $0.isNumber }), let row = Int(digits)
        else { return nil }
        self.contract = contract
        self.row = row
    }

    public var text: String { "\(contract)/\(row)" }
}
