import Commissioning
import Dispatch
import EventLog
import Synchronization

/// The log a page at a time, as the projections see it, for the fold thread.
///
/// After a full page (a catch-up or a rebuild, not a fold that has caught up) the next page is read and decoded on
/// another thread while the caller folds this one, so folding a long stretch of the log costs about the larger of
/// decoding and folding rather than their sum.
struct ProjectionPages {
    /// Events per page.
    static let pageSize = 1000

    private let log: EventLog
    private var ahead: PageReadAhead?

    init(log: EventLog) {
        self.log = log
    }

    /// The page of stored events from `position` (empty past the head).
    mutating func page(from position: UInt64) throws(EventLogError) -> [DomainEvent] {
        let events: [DomainEvent]
        if let ahead, ahead.from == position {
            events = try ahead.wait().get()
        } else {
            _ = ahead?.wait()
            events = try Self.read(log, from: position)
        }
        ahead = nil
        if events.count == Self.pageSize, let last = events.last {
            ahead = PageReadAhead(log: log, from: last.position + 1)
        }
        return events
    }

    /// Reads and decodes the page from `position`, with the stored leaf hashes.
    fileprivate static func read(_ log: EventLog, from position: UInt64) throws(EventLogError) -> [DomainEvent] {
        let events = try log.readAll(from: position, limit: pageSize)
        guard let last = events.last else { return [] }
        let hashes = try log.leafHashes(position...last.position)
        var page = [DomainEvent]()
        page.reserveCapacity(events.count)
        for (event, hash) in zip(events, hashes) {
            // Projections ignore a council's own x- events but for their place and time: no need to parse them.
            if let type = event.type, Catalogue.isExtension(type), let recorded = event.recorded {
                page.append(
                    DomainEvent(
                        position: event.position,
                        stream: "",
                        version: 0,
                        id: "",
                        type: String(type),
                        recorded: String(recorded),
                        data: .object([:])
                    )
                )
                continue
            }
            let decoded = try event.decoded()
            page.append(
                DomainEvent(
                    position: event.position,
                    stream: decoded.stream,
                    version: decoded.version,
                    id: decoded.id.description,
                    type: decoded.type,
                    recorded: decoded.recorded,
                    data: decoded.data,
                    meta: decoded.meta,
                    leafHash: hash.description
                )
            )
        }
        return page
    }
}

/// One page being read and decoded on a global queue.
private final class PageReadAhead: Sendable {
    let from: UInt64
    private let result = Mutex<Result<[DomainEvent], EventLogError>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    init(log: EventLog, from: UInt64) {
        self.from = from
        DispatchQueue.global().async { [self] in
            let page = Result { () throws(EventLogError) in try ProjectionPages.read(log, from: from) }
            result.withLock { $0 = page }
            done.signal()
        }
    }

    /// Waits for the page; call at most once.
    func wait() -> Result<[DomainEvent], EventLogError> {
        done.wait()
        return result.withLock { $0 } ?? .failure(.storage("the read-ahead page has no result"))
    }
}
