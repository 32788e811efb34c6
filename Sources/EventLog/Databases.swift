import LMDB

/// The named databases of the log.
///
/// - `events`: position (8-byte big-endian) -> envelope bytes, appended in order.
/// - `ids`: event id (16 bytes) -> position.
/// - `streams`: stream name, a 0 byte, version (8-byte big-endian) -> position.
/// - `heads`: stream name -> current version.
/// - `leaves`: chunk number (8-byte big-endian) -> up to 256 concatenated 32-byte leaf hashes.
/// - `meta`: `format` -> on-disk format version; `state` -> head, last recorded time and the Merkle frontier.
struct Databases: Sendable {
    let events: Database
    let ids: Database
    let streams: Database
    let heads: Database
    let leaves: Database
    let meta: Database

    init(environment: Environment) throws {
        events = try environment.openDatabase("events")
        ids = try environment.openDatabase("ids")
        streams = try environment.openDatabase("streams")
        heads = try environment.openDatabase("heads")
        leaves = try environment.openDatabase("leaves")
        meta = try environment.openDatabase("meta")
    }
}
