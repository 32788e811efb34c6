import Synchronization

#if canImport(Glibc)
import Glibc
#endif

extension EventID {
    /// A version 7 UUID for the current time, from the system's random generator. Successive ids from one process
    /// increase strictly: within a millisecond a sequence number counts up (from a random start below 2048), and
    /// when it runs out the id borrows the next millisecond.
    public static func v7() -> EventID {
        var generator = SystemRandomNumberGenerator()
        let (milliseconds, sequence) = latestV7.withLock { latest in
            let now = currentMilliseconds()
            if now > latest.milliseconds {
                latest = (now, UInt16.random(in: 0..<2048, using: &generator))
            } else if latest.sequence < 4095 {
                latest.sequence += 1
            } else {
                latest = (latest.milliseconds + 1, 0)
            }
            return latest
        }
        return v7(milliseconds: milliseconds, sequence: sequence, using: &generator)
    }

    /// Milliseconds since the Unix epoch, from the system's real-time clock.
    private static func currentMilliseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return UInt64(Swift.max(spec.tv_sec, 0)) * 1000 + UInt64(Swift.max(spec.tv_nsec, 0) / 1_000_000)
    }

    /// The millisecond and sequence number of the last id `v7()` made.
    private static let latestV7 = Mutex<(milliseconds: UInt64, sequence: UInt16)>((0, 0))
}
