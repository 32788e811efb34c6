import ArgumentParser

/// An option value that is a comma-separated list (`--clients 1,8,64`). A value with an item that does not parse is
/// refused with ArgumentParser's usual error instead of the item being skipped.
struct CommaSeparated<Element: ExpressibleByArgument>: ExpressibleByArgument, ExpressibleByArrayLiteral {
    let values: [Element]

    init(arrayLiteral values: Element...) {
        self.values = values
    }

    init?(argument: String) {
        var values = [Element]()
        for item in argument.split(separator: ",", omittingEmptySubsequences: false) {
            guard let value = Element(argument: String(item)) else { return nil }
            values.append(value)
        }
        self.values = values
    }

    var defaultValueDescription: String {
        values.map(\.defaultValueDescription).joined(separator: ",")
    }
}

extension CommaSeparated<Int> {
    /// Refuses a list with an item below 1 (a client count or batch size of zero means nothing).
    func validatePositive(_ option: String) throws {
        guard let bad = values.first(where: { $0 < 1 }) else { return }
        throw ValidationError("--\(option) takes numbers of 1 or more, got \(bad)")
    }
}
