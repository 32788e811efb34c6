/// The release of Commissioning Ledger that `ledgerd --version`, `ledgerctl --version`, `STATUS` and backup
/// manifests report: one number for the daemon and its tools, which ship together.
public enum LedgerVersion {
    /// The release, `major.minor.patch`.
    public static let current = "0.1.0"
}
