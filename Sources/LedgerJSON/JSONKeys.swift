/// The member names an object may hold, checked once for ASCII so that a document's keys can be compared with them
/// byte for byte (see `JSONReadable.isObject(withKeysIn:)`). Declare a list once, as a `static let`; a copy is one
/// reference.
public struct JSONKeys: Sendable, ExpressibleByArrayLiteral {
    private let storage: Storage

    public init(_ names: [String]) {
        storage = Storage(names)
    }

    public init(arrayLiteral names: String...) {
        self.init(names)
    }

    /// The names, in the order given.
    public var names: [String] { storage.names }

    /// Whether `name` is one of the names.
    public func contains(_ name: String) -> Bool { names.contains(name) }

    /// The index of the name that is the text of the string node `string` of `bytes` (as `String` equality decides:
    /// an ASCII text is compared by its bytes when every name is ASCII); nil when there is none.
    func index(of string: JSONDocument.Node, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard string.kind == .string, storage.allASCII else {
            return names.firstIndex(of: JSONParser.string(of: string, in: bytes))
        }
        return indexASCII(UnsafeBufferPointer(rebasing: bytes[string.range]))
    }

    /// The index of the name that is the ASCII text `key`, every name being ASCII; nil when there is none.
    private func indexASCII(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        storage.asciiNames.withUnsafeBufferPointer { names in
            var start = 0
            var index = 0
            while start < names.count {
                let length = Int(names[start])
                let name = UnsafeBufferPointer(rebasing: names[(start + 1)..<(start + 1 + length)])
                if length == key.count, name.hasSameBytes(as: key) { return index }
                start += 1 + length
                index += 1
            }
            return nil
        }
    }

    private final class Storage: Sendable {
        let names: [String]
        /// Whether every name is ASCII (of at most 255 bytes): an ASCII key then equals a name exactly when their bytes
        /// are equal.
        let allASCII: Bool
        /// Each name as its length in one byte followed by its UTF-8, when `allASCII` (else empty).
        let asciiNames: [UInt8]

        init(_ names: [String]) {
            self.names = names
            allASCII = names.allSatisfy { $0.utf8.isASCII && $0.utf8.count <= Int(UInt8.max) }
            asciiNames = allASCII ? names.flatMap { [UInt8(truncatingIfNeeded: $0.utf8.count)] + Array($0.utf8) } : []
        }
    }
}
