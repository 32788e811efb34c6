extension ContractSettlement {
    /// Each partner's share of `settlement` (settled but for them) under `pool`: its `shareBp` of every amount (the
    /// host, first, taking what rounding leaves), and the payments it made (`payer`, or the host naming none; a payer
    /// outside the pool has a share of nothing).
    func payers(
        of settlement: PeriodSettlement,
        pool: [ContractAgreement.PoolPartner],
        payments: [Stamped<PaymentMade>]
    ) -> [PeriodShare] {
        let period = settlement.period
        var list = pool.map {
            PeriodShare(.payer($0.commissioner), weight: $0.shareBp, period: period, dueOn: settlement.dueOn)
        }
        list.shareEarnings(of: settlement)
        list.share(settlement.adjustments, into: \.adjustments)
        list.share(settlement.refunded, into: \.refunded)
        list.pay(payments.map { (.payer($0.value.payer ?? agreement.commissioner), $0) }, addingUpTo: settlement)
        return list
    }
}
