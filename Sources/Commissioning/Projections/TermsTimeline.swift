/// A contract's terms as they stand in each period: the agreement, overridden field by field by the latest
/// variation whose `from` month is not after the period (ties: the later variation).
struct TermsTimeline {
    let agreement: ContractAgreement
    let variations: [Stamped<Variation>]

    func payment(at period: Period) -> PaymentTerms { latest(\.payment, at: period) ?? agreement.payment }

    func paymentTermsDays(at period: Period) -> Int64 {
        latest(\.paymentTermsDays, at: period) ?? agreement.paymentTermsDays
            ?? ContractAgreement.defaultPaymentTermsDays
    }

    /// The consortium members doing the period's work; nil for a provider's contract.
    func work(at period: Period) -> Work? { latest(\.work, at: period) ?? agreement.work }

    private func latest<Value>(_ field: KeyPath<Variation, Value?>, at period: Period) -> Value? {
        var best: (from: Period, position: UInt64, value: Value)?
        for variation in variations where variation.value.from <= period {
            guard let value = variation.value[keyPath: field] else { continue }
            if let current = best,
                (current.from, current.position) > (variation.value.from, variation.stamp.position)
            {
                continue
            }
            best = (variation.value.from, variation.stamp.position, value)
        }
        return best?.value
    }
}
