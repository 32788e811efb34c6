#if canImport(Glibc)
import Glibc
#endif

/// What ledgerctl knows of the terminal its output goes to.
enum Terminal {
    /// Whether standard output is a terminal.
    static var stdoutIsTerminal: Bool { isatty(1) == 1 }

    /// Tables are fitted to this many columns when standard output is not a terminal and `$COLUMNS` is unset.
    static let defaultWidth = 80

    /// The width tables are fitted to: the terminal's, else `$COLUMNS`, else 80.
    static var width: Int {
        var size = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let text = getenv("COLUMNS").map({ String(cString: $0) }), let columns = Int(text), columns > 0 {
            return columns
        }
        return defaultWidth
    }
}
