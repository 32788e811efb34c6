/// Payments by period as an SVG bar chart: each bar is what was due (paid, then outstanding) with what was withheld
/// on top; hovering a bar shows its figures.
struct PaymentChart {
    /// The periods, in order.
    let periods: [PaymentPeriod]

    private static let (width, height, left, bottom, top) = (720, 260, 90, 40, 10)
    private static let colours = (paid: "#2e7d32", outstanding: "#f9a825", withheld: "#c62828")

    /// The chart and its legend.
    var svg: String {
        // The scale is the tallest stack, summed in Double so no figure can overflow it.
        let stacks = periods.map { [$0.paid, $0.outstanding, $0.withheld].reduce(0.0) { $0 + Double(max($1, 0)) } }
        let tallest = max(stacks.max() ?? 1, 1)
        let plotHeight = Double(Self.height - Self.bottom - Self.top)
        let slot = Double(Self.width - Self.left) / Double(max(periods.count, 1))
        let labelEvery = max(periods.count / 12, 1)
        func scaled(_ pence: Int64) -> Double { Double(max(pence, 0)) / tallest * plotHeight }
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 \(Self.width) \(Self.height)" \
            width="100%" style="max-width: \(Self.width)px" aria-label="Payments by period">
            <text x="\(Self.left - 6)" y="\(Self.top + 10)" text-anchor="end" font-size="11">\
            \(Format.pounds(pence: Int64(clamping: Int(exactly: tallest.rounded()) ?? Int.max)))</text>
            <text x="\(Self.left - 6)" y="\(Self.height - Self.bottom)" text-anchor="end" font-size="11">£0</text>
            <line x1="\(Self.left)" y1="\(Self.height - Self.bottom)" x2="\(Self.width)" \
            y2="\(Self.height - Self.bottom)" stroke="#999"/>

            """
        for (index, period) in periods.enumerated() {
            let x = Double(Self.left) + Double(index) * slot + slot * 0.15
            let barWidth = slot * 0.7
            var base = Double(Self.height - Self.bottom)
            svg += "<g><title>\(HTML.escape(period.period)): due \(Format.pounds(pence: period.due)), paid "
            svg += "\(Format.pounds(pence: period.paid)), outstanding \(Format.pounds(pence: period.outstanding)), "
            svg += "withheld \(Format.pounds(pence: period.withheld))</title>"
            let segments = [
                (period.paid, Self.colours.paid), (period.outstanding, Self.colours.outstanding),
                (period.withheld, Self.colours.withheld),
            ]
            for (pence, colour) in segments where pence > 0 {
                let height = scaled(pence)
                base -= height
                svg += "<rect x=\"\(rounded(x))\" y=\"\(rounded(base))\" width=\"\(rounded(barWidth))\" "
                svg += "height=\"\(rounded(height))\" fill=\"\(colour)\"/>"
            }
            svg += "</g>\n"
            if index % labelEvery == 0 {
                svg += "<text x=\"\(rounded(x + barWidth / 2))\" y=\"\(Self.height - Self.bottom + 16)\" "
                svg += "text-anchor=\"middle\" font-size=\"11\">\(HTML.escape(period.period))</text>\n"
            }
        }
        svg += "</svg>\n<p class=\"legend\"><span style=\"background: \(Self.colours.paid)\"></span>paid"
        svg += "<span style=\"background: \(Self.colours.outstanding)\"></span>due, not yet paid"
        svg += "<span style=\"background: \(Self.colours.withheld)\"></span>withheld</p>\n"
        return svg
    }

    /// A coordinate with one decimal; the chart's coordinates lie within its view box.
    private func rounded(_ value: Double) -> String {
        let tenths = Int(exactly: (value * 10).rounded()) ?? 0
        return "\(tenths / 10).\(abs(tenths % 10))"
    }
}
