import Foundation

/// A fixed, valid v7-shaped UUID for event `index` (its last 12 hex digits), for tests that need many distinct ids.
public func uuid(_ index: Int, prefix: String = "0190f3a0-7c1e-7d2a-9b3c") -> String {
    "\(prefix)-\(String(format: "%012x", index))"
}
