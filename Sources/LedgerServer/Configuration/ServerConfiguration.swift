import EventLog
import LMDB
import LedgerClient
import LedgerProtocol

/// Everything `ledgerd` is configured with: command-line flags override the config file, which overrides these
/// defaults. See `ops/ledgerd.sample.json` for the file form.
public struct ServerConfiguration: Sendable {
    /// The LMDB data directory (created if missing).
    public var dataDirectory = "./ledger-data"
    /// The Unix-domain socket path.
    public var socketPath = "./ledgerd.sock"
    /// Permissions of the socket file.
    public var socketMode: UInt32 = 0o660
    /// Roles by peer uid and by any of its groups (`RoleMap`); the daemon's own uid is always `ops`.
    public var roles = RoleMap()
    /// The longest request line in bytes (LF excluded).
    public var maxLineBytes = 1 << 20
    /// Connections served at once; more are answered `ERR OVERLOADED` and closed.
    public var maxConnections = 4096
    /// Of `maxConnections`, how many only `ops` peers may take, so operators get in while others hold the rest.
    public var reservedOpsConnections = 16
    /// Connections one uid with a role may hold at once.
    public var maxConnectionsPerUID = 2048
    /// Connections one uid without a role (which may only `PING`, `HELLO` and `QUIT`) may hold at once.
    public var maxConnectionsPerUnmappedUID = 4
    /// How long a connection without a role may send nothing before it is closed.
    public var unmappedIdleSeconds = 10.0
    /// The reply bytes one connection may have queued in the daemon beyond what its socket holds. Streamed events
    /// (`READ`, `READALL`, `SUBSCRIBE`) are read from the log in pages of at most half of it, the next page only once
    /// the socket has taken the last; the server stops reading requests while more than the other half of other
    /// replies is queued.
    public var maxQueuedOutputBytes = 256 << 10
    /// Requests one connection may have queued or in flight before the server stops reading from it.
    public var maxPipelinedRequests = 1024
    /// Events read per page when streaming `READ`, `READALL` and subscriptions.
    public var readPageSize = 1000
    /// How long a subscriber may leave delivered events unread before it is dropped with `ERR OVERLOADED`.
    public var subscriberStallSeconds = 5.0
    /// Durable consumer names the ledger keeps (`CONSUME`); a new name beyond them is refused with `ERR OVERLOADED`.
    public var maxConsumers = 1000
    /// How long shutdown waits for connections to finish before closing them.
    public var shutdownGraceSeconds = 10.0
    /// The most events the writer takes into one transaction.
    public var maxBatchEvents = GroupCommitWriter.defaultMaxBatchEvents
    /// The log level: trace, debug, info, notice, warning, error or critical.
    public var logLevel = "info"
    /// Text or JSON log lines.
    public var logFormat = LogFormat.text
    /// Where `BACKUP` writes its copies; nil means `<dataDirectory>-backups`.
    public var backupDirectory: String?
    /// A Prometheus text file for node_exporter's textfile collector, rewritten every `metricsIntervalSeconds`.
    public var metricsFile: String?
    /// How often the metrics file is rewritten.
    public var metricsIntervalSeconds = 5.0
    /// Where the HTTP endpoint for Prometheus (`/metrics`, `/healthz`) listens; nil: no HTTP listener.
    public var metricsAddress: ListenAddress?
    /// The most projection lag, in seconds, with which `/healthz` still answers 200.
    public var healthMaxProjectionLagSeconds = 60.0
    /// LMDB sizes and limits.
    public var storage = Environment.Options()
    /// The writer thread's nice value, -20 to 19 (see `WriterNice`); 0 leaves it at the daemon's. A value below the
    /// daemon's own needs RLIMIT_NICE (systemd's `LimitNICE=`) or CAP_SYS_NICE.
    public var writerNice: Int32 = 0
    /// The socket of the primary this daemon follows (`replication.primary`, `--follow`); nil: it is a primary. A
    /// follower stores the primary's events at their positions and refuses appends (`ReplicationFollower`).
    public var replicationPrimary: String?
    /// The follower's client certificate for a primary at a `tls://` address (`replication.certificateFile`,
    /// `keyFile`, `caFile`).
    public var replicationTLS: TLSFiles?
    /// Where clients reach this daemon once it is the primary (`replication.address`: a socket path or
    /// `tls://HOST:PORT`), which a fenced former primary names in `READ_ONLY`; nil: its socket path.
    public var advertisedAddress: String?

    /// `advertisedAddress`, else the socket path.
    public var replicationAddress: String { advertisedAddress ?? socketPath }

    /// The TLS listener (`tls`); nil: only the Unix socket.
    public var tls: TLSSettings?
    /// Semi-synchronous replication on a primary (`replication.syncFollowers`, `syncTimeoutMs`, `onSyncTimeout`).
    public var syncReplication = SyncReplication()

    /// How many followers must store an append before it is acknowledged, and what happens when they do not in time.
    public struct SyncReplication: Sendable {
        /// Followers that must have stored an append (0: appends are acknowledged once durable here).
        public var followers = 0
        /// How long an append waits for them.
        public var timeout = Duration.seconds(5)
        /// Whether an append waits for them past `timeout` (`block`) rather than being acknowledged with a warning
        /// (`degrade`).
        public var blocks = false

        public init() {}
    }
    /// Signed checkpoints: the key, the origin and how often the daemon signs.
    public var checkpoints = CheckpointSettings()
    /// `--start-new-ledger`: take `data.mdb` as it is even when it does not match the identity record (a flag only,
    /// never read from the file).
    public var startNewLedger = false

    public init() {}

    /// The directory `BACKUP` writes into: `backupDirectory`, else `<dataDirectory>-backups`.
    public var resolvedBackupDirectory: String {
        backupDirectory ?? dataDirectory + "-backups"
    }
}
