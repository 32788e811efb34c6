extension ContractSettlement {
    /// The holders' shares of `settlement` (settled but for them), and the original holder's earnings before offsets
    /// (what a consortium holder passes through); nil when the period's only payee is the agreement's supplier: the contract
    /// has not changed holder by the period's end and its payments and credits name no other.
    func shares(
        of settlement: PeriodSettlement,
        holders: HolderTimeline,
        recoveries: [Recovery],
        credits: [Stamped<CreditSettlement>],
        payments: [Stamped<PaymentMade>]
    ) -> (list: [PeriodShare], originalEarned: Int64)? {
        let period = settlement.period
        /// The holder a payment or credit of `month` settles with: the one it names, or the month's last holder.
        func payee(_ named: Supplier?, of month: Period) -> Supplier { named ?? holders.holder(on: month.lastDay) }
        let settling = credits.filter { credit in
            if credit.value.period == period { return true }
            guard case .offset(let against) = credit.value.means else { return false }
            return against == period
        }
        let named =
            payments.map { payee($0.value.payee, of: period) }
            + settling.map {
                payee($0.value.payee, of: $0.value.period)
            }
        guard holders.hasChanged(by: period) || named.contains(where: { $0 != holders.original }) else { return nil }
        var list = holders.holders(in: period).map {
            PeriodShare(.holder($0.holder), weight: Int64($0.days), period: period, dueOn: settlement.dueOn)
        }
        func index(of holder: Supplier) -> Int {
            if let index = list.firstIndex(where: { $0.party == .holder(holder) }) { return index }
            list.append(PeriodShare(.holder(holder), weight: 0, period: period, dueOn: settlement.dueOn))
            return list.count - 1
        }
        list.shareEarnings(of: settlement)
        for recovery in recoveries {
            let recovered = holders.holders(in: recovery.period)
            let parts = PenceMath.shares(of: -recovery.amountPence, weights: recovered.map { Int64($0.days) })
            for (holder, part) in zip(recovered, parts) {
                let index = index(of: holder.holder)
                list[index].adjustments = PenceMath.add(list[index].adjustments, part)
            }
        }
        let originalEarned = list.first { $0.party == .holder(holders.original) }?.due ?? 0
        // Payees named only by credits or payments follow the holders, in log order.
        for credit in settling {
            let effect = Self.effect(of: [credit], on: period)
            let index = index(of: payee(credit.value.payee, of: credit.value.period))
            list[index].adjustments = PenceMath.add(list[index].adjustments, effect.offsets)
            list[index].refunded = PenceMath.add(list[index].refunded, effect.refunded)
        }
        list.pay(payments.map { (.holder(payee($0.value.payee, of: period)), $0) }, addingUpTo: settlement)
        return (list, originalEarned)
    }
}
