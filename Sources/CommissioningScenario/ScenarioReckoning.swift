/// Totals the scenario reckons from its own choices, independently of the projections, so an end-to-end test can
/// compare query answers against them. Complete once `Scenario.next()` has returned nil.
public struct ScenarioReckoning: Sendable, Equatable {
    /// One commissioner's totals over all periods.
    public struct Commissioner: Sendable, Equatable {
        /// Everything that became due to contract holders (core, outcome, task-and-time, less recoveries).
        public var duePence: Int64 = 0
        /// Everything paid to contract holders (excluding retracted payments).
        public var paidPence: Int64 = 0
        /// What integrators owe consortium members (earnings less management fee).
        public var memberDuePence: Int64 = 0
        /// What integrators paid members.
        public var memberPaidPence: Int64 = 0
        /// Credits (recoveries beyond what a month earned) contract holders refunded.
        public var refundedPence: Int64 = 0
        /// Credits contract holders still owe.
        public var creditPence: Int64 = 0
        /// Credits members refunded to integrators.
        public var memberRefundedPence: Int64 = 0
        /// Credits members still owe integrators.
        public var memberCreditPence: Int64 = 0
        /// Requirements published.
        public var requirements = 0
        /// Requirements published as spot purchases.
        public var spotPurchases = 0
        /// Requirements published as direct awards.
        public var directAwards = 0
        /// Selections of an offer other than the evaluation's top-ranked one.
        public var topRankedLost = 0
        /// Contracts agreed.
        public var contracts = 0
        /// What became due for work done by voluntary or community organisations.
        public var vcseDuePence: Int64 = 0
        /// What became due, by the provider doing the work.
        public var dueByDoer: [String: Int64] = [:]
        /// Invitations to providers by their scale, and for voluntary organisations under `voluntary`.
        public var access: [String: Access] = [:]
    }

    /// How a group of providers' invitations were answered and won.
    public struct Access: Sendable, Equatable {
        public var invited = 0
        public var responded = 0
        public var selected = 0
    }

    /// Totals per commissioner id.
    public internal(set) var commissioners: [String: Commissioner] = [:]
    /// Events proposed so far.
    public internal(set) var events = 0
}

extension ScenarioReckoning.Commissioner {
    /// Counts a credit settled by refund, or left outstanding, at the first tier or a member's.
    mutating func settle(_ credit: Int64, _ settling: CaseScript.CreditSettling, member: Bool) {
        switch (settling, member) {
        case (.refund, false): refundedPence += credit
        case (.outstanding, false): creditPence += credit
        case (.refund, true): memberRefundedPence += credit
        case (.outstanding, true): memberCreditPence += credit
        case (.offset, _): break
        }
    }
}

extension ScenarioReckoning.Commissioner {
    /// Adds a pool partner's share of a contract's money (no requirements or contracts of its own).
    mutating func add(_ shares: Self) {
        duePence += shares.duePence
        paidPence += shares.paidPence
        refundedPence += shares.refundedPence
        creditPence += shares.creditPence
        vcseDuePence += shares.vcseDuePence
        dueByDoer.merge(shares.dueByDoer, uniquingKeysWith: +)
    }
}
