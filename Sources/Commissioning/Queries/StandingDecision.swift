/// The decision that stands on a requirement: the latest live selection and the latest live evaluation before it.
struct StandingDecision {
    var selection: Stamped<Selection>
    var evaluation: Stamped<Evaluation>?
    /// The selected offer, when it was submitted (and not retracted).
    var offer: Stamped<OfferSubmission>?

    /// The selected offer's place in the evaluation's ranking; nil without an evaluation or when it was not ranked.
    var rank: Int? { evaluation?.value.rank(of: selection.value.offer) }

    /// Whether an evaluation ranked another offer first.
    var topRankedLost: Bool {
        guard let evaluation, let top = evaluation.value.ranking.first else { return false }
        return top != selection.value.offer
    }
}
