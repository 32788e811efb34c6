import LedgerJSON

/// The text form of event ids: a UUID in lowercase `8-4-4-4-12` hexadecimal.
enum EventIDText {
    /// True when `text` is a lowercase UUID.
    static func isValid(_ text: String) -> Bool {
        text.withUTF8Buffer(isValid)
    }

    private static func isValid(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        guard utf8.count == 36 else { return false }
        for offset in 0..<36 {
            let byte = utf8[offset]
            if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                let isHex =
                    (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                    || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
                guard isHex else { return false }
            }
        }
        return true
    }
}
