import CLibFuzzer

#if canImport(Glibc)
import Glibc
#endif

/// Starts libFuzzer's driver for a fuzz target's `main` (SwiftPM points an executable's `main` at the module's own
/// entry point, so libFuzzer's `main` never runs).
public enum FuzzDriver {
    /// The target the driver calls; libFuzzer takes a C function, which cannot capture it.
    nonisolated(unsafe) private static var target: ((ArraySlice<UInt8>) -> Void)?

    /// Runs libFuzzer with the process's arguments, calling `target` with each input, in a build made by `ops/fuzz`
    /// (`-sanitize=fuzzer -DLEDGER_FUZZ`); in any other build says so and exits 2.
    public static func run(_ name: String, _ target: @escaping (ArraySlice<UInt8>) -> Void) -> Never {
        #if LEDGER_FUZZ
        Self.target = target
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(
            LLVMFuzzerRunDriver(&argc, &argv) { bytes, count in
                guard let bytes else { return 0 }
                FuzzDriver.target?(ArraySlice(UnsafeBufferPointer(start: bytes, count: count)))
                return 0
            }
        )
        #else
        print("\(name) runs only when built by ops/fuzz (libFuzzer, -DLEDGER_FUZZ)")
        exit(2)
        #endif
    }
}
