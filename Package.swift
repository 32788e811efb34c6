// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "commissioning-ledger",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ledgerd", targets: ["ledgerd"]),
        .executable(name: "ledger-bench", targets: ["ledger-bench"]),
        .executable(name: "ledgerctl", targets: ["ledgerctl"]),
        .library(name: "LedgerClient", targets: ["LedgerClient"]),
        // Loaded into ledgerd by the power-cut tests (LD_PRELOAD); never linked into anything.
        .library(name: "PowerCut", type: .dynamic, targets: ["PowerCut"]),
    ],
    traits: [
        .default(enabledTraits: ["TLS"]),
        .trait(
            name: "TLS",
            description: "The line protocol over TCP with mutual TLS (swift-nio-ssl). ops/fuzz builds without it."
        ),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
    ],
    targets: [
        // Storage: the system liblmdb and a small safe wrapper over it.
        .systemLibrary(
            name: "CLMDB",
            pkgConfig: "lmdb",
            providers: [.apt(["liblmdb-dev"])]
        ),
        // fallocate(2) and statfs(2), to reserve disk blocks past the data file's end.
        .systemLibrary(name: "CFileSpace"),
        .target(name: "LMDB", dependencies: ["CFileSpace", "CLMDB", "DurableFiles"]),
        // Files that must survive a power cut: CRC-32C, whole replacement, synced writes (no deps).
        .target(name: "DurableFiles"),
        // A simulated power cut: undo records of every unsynced write under a directory (C, for LD_PRELOAD).
        .target(name: "PowerCut"),

        // Pure JSON value, strict parser and canonical writer (no I/O).
        .target(name: "LedgerJSON"),

        // What the log and the wire share: event ids, expected versions, append results, names, numbers (no deps).
        .target(name: "LedgerWire"),

        // Calendar arithmetic shared by recorded times and the domain's days (pure).
        .target(name: "CivilCalendar"),

        // Proofs for auditors: RFC 6962 hashing, RFC 9162 proofs, signed checkpoints (no I/O, no LMDB).
        .target(name: "LedgerProofs", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // The log's and witnesses' signing keys as files: created whole, never overwritten, readable by their owner.
        .target(name: "KeyFiles", dependencies: ["LedgerProofs"]),

        // The append-only event log: envelopes, indexes, Merkle tree, group commit.
        .systemLibrary(name: "CThreadName"),
        .target(
            name: "EventLog",
            dependencies: [
                "CThreadName", "CivilCalendar", "DurableFiles", "LMDB", "LedgerJSON", "LedgerProofs", "LedgerWire",
            ],
            exclude: ["README.md"]
        ),

        // Wire protocol v1 both ways: requests parsed and written, replies written and read (no I/O).
        .target(name: "LedgerProtocol", dependencies: ["LedgerJSON", "LedgerWire"]),

        // The read models the queries across the log answer from: an LMDB environment of their own, written by the fold.
        .target(
            name: "ReadModels",
            dependencies: ["Commissioning", "LMDB", "LedgerJSON", "LedgerProtocol"],
            exclude: ["README.md"]
        ),

        // The daemon's services: socket server, sessions, roles, configuration.
        .systemLibrary(name: "CMalloc"),
        .systemLibrary(name: "CXattr"),
        .target(
            name: "LedgerServer",
            dependencies: [
                "CMalloc", "CXattr", "Commissioning", "EventLog", "KeyFiles", "LedgerClient", "LedgerProofs",
                "LedgerProtocol",
                "LedgerJSON", "LedgerWire", "ReadModels",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOSSL", package: "swift-nio-ssl", condition: .when(traits: ["TLS"])),
                .product(name: "NIOTLS", package: "swift-nio", condition: .when(traits: ["TLS"])),
                .product(name: "X509", package: "swift-certificates", condition: .when(traits: ["TLS"])),
            ],
            exclude: ["Runtime/README.md"]
        ),

        .executableTarget(
            name: "ledgerd",
            dependencies: [
                "KeyFiles", "LedgerServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The client library for protocol v1: pipelined requests, typed errors, resuming subscriptions.
        .target(
            name: "LedgerClient",
            dependencies: [
                "LedgerProtocol", "LedgerJSON", "LedgerProofs", "LedgerWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl", condition: .when(traits: ["TLS"])),
                .product(name: "NIOTLS", package: "swift-nio", condition: .when(traits: ["TLS"])),
            ]
        ),

        // The operators' and auditors' command-line tool.
        .executableTarget(
            name: "ledgerctl",
            dependencies: [
                "CommissioningScenario", "LedgerClient", "LedgerJSON", "LedgerProofs", "LedgerProtocol", "LedgerWire",
                "EventLog", "KeyFiles",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),

        // ppoll(2), which the Glibc module leaves out, for the benchmark's open-loop pacing.
        .systemLibrary(name: "CPoll"),
        .executableTarget(
            name: "ledger-bench",
            dependencies: [
                "CPoll", "Commissioning", "CommissioningScenario", "EventLog", "LMDB", "LedgerJSON",
                "LedgerTestSupport", "LedgerWire", "SeededRandom",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            exclude: ["README.md"]
        ),

        // libFuzzer target for the request parser and the catalogue; only useful when built by ops/fuzz.
        .systemLibrary(name: "CLibFuzzer"),
        .target(name: "FuzzDriver", dependencies: ["CLibFuzzer"]),
        .executableTarget(
            name: "ledger-fuzz",
            dependencies: ["FuzzDriver", "Commissioning", "LedgerJSON", "LedgerProtocol"]
        ),

        // libFuzzer target for the whole server: request lines over the socket to a real service and event log.
        .executableTarget(
            name: "ledger-fuzz-server",
            dependencies: [
                "FuzzDriver", "LedgerServer",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // The commissioning domain: event catalogue, validation and the projection folds (pure, no I/O).
        .target(
            name: "Commissioning",
            dependencies: ["CivilCalendar", "LedgerJSON", "LedgerWire"],
            exclude: ["README.md"]
        ),

        // Shared by tests and the benchmark: temp directories, a running-daemon fixture, a line client.
        .target(name: "LedgerTestSupport", dependencies: ["SeededRandom"]),

        // A seedable random generator, so generated scenarios, workloads and randomized tests are reproducible.
        .target(name: "SeededRandom"),

        // A deterministic, seeded generator of realistic commissioning events, with its own reckoning of totals.
        .target(name: "CommissioningScenario", dependencies: ["Commissioning", "LedgerJSON", "SeededRandom"]),

        .testTarget(name: "LMDBTests", dependencies: ["LMDB", "LedgerTestSupport", "SeededRandom"]),
        .testTarget(name: "LedgerJSONTests", dependencies: ["LedgerJSON", "LedgerTestSupport", "SeededRandom"]),
        .testTarget(name: "LedgerWireTests", dependencies: ["LedgerWire", "SeededRandom"]),
        .testTarget(name: "LedgerProofsTests", dependencies: ["LedgerProofs", "LedgerTestSupport"]),
        .testTarget(
            name: "EventLogTests",
            dependencies: [
                "DurableFiles", "EventLog", "LedgerProofs", "LMDB", "LedgerTestSupport", "LedgerWire", "SeededRandom",
            ]
        ),
        .testTarget(
            name: "LedgerProtocolTests",
            dependencies: ["LedgerProtocol", "LedgerJSON", "LedgerTestSupport", "LedgerWire"]
        ),
        .testTarget(
            name: "CommissioningTests",
            dependencies: [
                "CivilCalendar", "Commissioning", "CommissioningScenario", "LedgerJSON", "LedgerTestSupport",
                "LedgerWire", .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "LedgerServerTests",
            dependencies: [
                "Commissioning", "CommissioningScenario", "EventLog", "ledgerd", "LedgerServer", "LedgerTestSupport",
                "LedgerJSON", "LedgerProofs", "LedgerProtocol", "LedgerWire", "LMDB", "ReadModels",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                "LedgerClient",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .testTarget(
            name: "LedgerClientTests",
            dependencies: [
                "ledgerd", "LedgerClient", "LedgerTestSupport", "LedgerJSON", "LedgerProtocol", "LedgerWire",
            ]
        ),
        .testTarget(
            name: "ledgerctlTests",
            dependencies: ["ledgerd", "ledgerctl", "LedgerTestSupport", "LedgerProofs"]
        ),
        .testTarget(
            name: "ledger-benchTests",
            dependencies: ["ledgerd", "ledger-bench", "LedgerTestSupport", "LedgerJSON"]
        ),
    ]
)
