/// A tally kept as a fixed number of figures (counts and sums): it adds up figure by figure, and a read model stores
/// it as those figures.
protocol FigureTally {
    /// How many figures a tally has.
    static var figureCount: Int { get }
    /// The figures in a fixed order.
    var figures: [Int64] { get }
    /// The tally of `figures`; nil unless there are `figureCount`.
    init?(figures: [Int64])
}

extension FigureTally {
    /// Adds another tally's figures.
    mutating func add(_ other: Self) {
        guard let sum = Self(figures: zip(figures, other.figures).map(+)) else {
            preconditionFailure("a tally has \(Self.figureCount) figures")
        }
        self = sum
    }

    /// Writes the figures.
    func write(to writer: inout StoredBytes.Writer) {
        for figure in figures { writer.int(figure) }
    }

    /// Reads the figures `write(to:)` wrote at the reader's offset; nil when they are not there.
    static func read(_ reader: inout StoredBytes.Reader) -> Self? {
        var figures = [Int64]()
        for _ in 0..<figureCount {
            guard let figure = reader.int() else { return nil }
            figures.append(figure)
        }
        return Self(figures: figures)
    }
}
