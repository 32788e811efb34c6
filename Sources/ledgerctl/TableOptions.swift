import ArgumentParser

/// `--wide`, `--columns`, `--limit` and `--no-pager`: how `query` and `history` print a table.
struct TableOptions: ParsableArguments {
    @Flag(name: .long, help: "Show every column, and every list beneath its row, however wide.")
    var wide = false

    @Option(
        name: .long,
        help: "Show these columns, in this order (names as in the header, without the unit), e.g. contract,due,paid.",
        transform: {
            $0.split(separator: ",", omittingEmptySubsequences: false).map { String($0.filter { $0 != " " }) }
        }
    )
    var columns: [String]?

    @Option(name: .long, help: "Show at most this many rows (the summary still covers them all).")
    var limit: Int?

    @Flag(name: .customLong("no-pager"), help: "Never pipe the output through $PAGER.")
    var noPager = false

    func validate() throws {
        if wide, columns != nil { throw ValidationError("--wide and --columns cannot be used together") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if columns?.contains(where: \.isEmpty) == true { throw ValidationError("--columns has an empty name") }
    }

    /// Refuses the table options with `--json` or `--csv`, which print every row and column.
    func validate(format: String) throws {
        guard wide || columns != nil || limit != nil else { return }
        throw ValidationError("--wide, --columns and --limit shape tables; \(format) gives every row and column")
    }
}

extension TableOptions {
    /// Prints `lines` to standard output, through the pager when it is a terminal and `--no-pager` is not given.
    func print(_ lines: [String]) {
        let pager = noPager ? nil : Pager.start()
        let output = Output(descriptor: pager?.descriptor ?? 1)
        lines.forEach(output.line)
        output.flush()
        pager?.finish()
    }
}
