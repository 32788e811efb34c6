/// The member names an object may hold, checked once for ASCII so that a document's keys can be compared with them
/// byte for byte (see `JSONReadable.isObject(withKeysIn:)`). Declare a list once, as a `static let`.
public struct JSONKeys: Sendable, ExpressibleByArrayLiteral {
    /// The names, in the order given.
    public let names: [String]
    /// Whether every name is ASCII: an ASCII key then equals a name exactly when their bytes are equal.
    let allASCII: Bool

    /// The names' UTF-8 one after another, when all are ASCII (else empty).
    private let asciiUTF8: [UInt8]
    /// Where each name ends in `asciiUTF8`.
    private let asciiEnds: [Int]

    public init(_ names: [String]) {
        self.names = names
        allASCII = names.allSatisfy { $0.utf8.isASCII }
        asciiUTF8 = allASCII ? names.flatMap(\.utf8) : []
        asciiEnds =
            allASCII ? names.reduce(into: []) { ends, name in ends.append((ends.last ?? 0) + name.utf8.count) } : []
    }

    public init(arrayLiteral names: String...) {
        self.init(names)
    }

    /// Whether `name` is one of the names.
    public func contains(_ name: String) -> Bool { names.contains(name) }

    /// Whether one of the (all ASCII) names is the ASCII text `key`.
    func containsASCII(_ key: UnsafeBufferPointer<UInt8>) -> Bool { indexASCII(key) != nil }

    /// The index of the name that is the ASCII text `key`; nil when there is none (or when not all names are ASCII,
    /// so that a key must be compared as a string).
    func indexASCII(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        guard allASCII else { return nil }
        return asciiUTF8.withUnsafeBufferPointer { utf8 in
            asciiEnds.withUnsafeBufferPointer { ends in
                var start = 0
                for (index, end) in ends.enumerated() {
                    if end - start == key.count, UnsafeBufferPointer(rebasing: utf8[start..<end]).hasSameBytes(as: key)
                    {
                        return index
                    }
                    start = end
                }
                return nil
            }
        }
    }
}
