import SeededRandom

/// Seeded choices for the scenario.
struct ScenarioRandom {
    private var generator: SplitMix64

    init(seed: UInt64) {
        generator = SplitMix64(seed: seed)
    }

    mutating func next() -> UInt64 { generator.next() }

    /// A uniform integer in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(generator.next() % UInt64(range.count))
    }

    /// True with probability `percent` / 100.
    mutating func chance(_ percent: Int) -> Bool { generator.next() % 100 < UInt64(percent) }

    /// A uniformly chosen element.
    /// - Important: `elements` must not be empty.
    mutating func pick<Element>(_ elements: [Element]) -> Element { elements[int(0...elements.count - 1)] }

    /// An element chosen with the given weights.
    mutating func weighted<Element>(_ choices: [(Element, Int)]) -> Element {
        var roll = int(0...choices.reduce(0) { $0 + $1.1 } - 1)
        for (element, weight) in choices {
            if roll < weight { return element }
            roll -= weight
        }
        return choices[choices.count - 1].0
    }
}
