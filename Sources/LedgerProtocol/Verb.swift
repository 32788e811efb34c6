/// The verbs of protocol v1. Verbs are case-insensitive on the wire.
public enum Verb: String, Sendable, CaseIterable {
    case ping = "PING"
    case quit = "QUIT"
    case hello = "HELLO"
    case status = "STATUS"
    case append = "APPEND"
    case read = "READ"
    case readAll = "READALL"
    case readBack = "READBACK"
    case stream = "STREAM"
    case subscribe = "SUBSCRIBE"
    case unsubscribe = "UNSUBSCRIBE"
    case consume = "CONSUME"
    case ack = "ACK"
    case verify = "VERIFY"
    case query = "QUERY"
    case rebuild = "REBUILD"
    case prove = "PROVE"
    case consistency = "CONSISTENCY"
    case checkpoint = "CHECKPOINT"
    case cosign = "COSIGN"
    case checkpoints = "CHECKPOINTS"
    case backup = "BACKUP"
    case metrics = "METRICS"
    case replicate = "REPLICATE"
    case stored = "STORED"
    case promote = "PROMOTE"
    case fence = "FENCE"

    /// Verbs any peer may send, even one with no role.
    public static let alwaysAllowed: Set<Verb> = [.ping, .hello, .quit]
}
