/// The values of up to eight named members of an object, picked out in one scan of its keys (see
/// `JSONNode.members(_:)`), so that reading several members takes one pass and makes a node only for each one read.
public struct JSONMembers: Sendable {
    /// The most names one scan picks out.
    public static let capacity = 8

    /// Sendable as its document never changes once made.
    nonisolated(unsafe) private let document: JSONDocument
    /// The node index of each name's value, or -1 when the object has no such member.
    private var values: InlineArray<8, Int32>

    init(document: JSONDocument, values: InlineArray<8, Int32>) {
        self.document = document
        self.values = values
    }

    /// The value of the `name`-th of the names asked for; nil when the object has no such member.
    public subscript(name: Int) -> JSONNode? {
        let value = values[name]
        return value < 0 ? nil : JSONNode(document: document, index: Int(value))
    }
}

extension JSONNode {
    /// The values of the members named `names` (at most `JSONMembers.capacity` of them), found in one scan of the
    /// object's keys; all missing for a non-object. Look them up by their place in `names`.
    public func members(_ names: JSONKeys) -> JSONMembers {
        var values = InlineArray<8, Int32>(repeating: -1)
        let (nodes, bytes) = (document.nodes, document.bytes)
        document.forEachKey(of: index) { key in
            if let name = names.index(of: nodes[key], in: bytes), name < JSONMembers.capacity {
                values[name] = Int32(truncatingIfNeeded: key + 1)
            }
        }
        return JSONMembers(document: document, values: values)
    }
}
