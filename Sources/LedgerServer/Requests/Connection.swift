import Commissioning
import EventLog
import LedgerJSON
import LedgerProtocol
import LedgerWire
import NIOCore

/// What one client connection may do and how its requests are carried out: the peer, its role, and the parts of the
/// daemon requests use (`RequestPorts`). `ConnectionHandler` feeds it lines on the event loop and keeps the replies in
/// order.
struct Connection: RequestRouter {
    let ports: RequestPorts
    let role: Role?
    let peer: Peer

    typealias Outbound = ReplyWriter

    /// Turns one line, whose verb is `verb` (`RequestParser.verb(of:)`), into a job; nil when the line needs no reply
    /// of its own (`UNSUBSCRIBE` of a live stream, a consumer's `ACK`).
    func dispatch(_ line: ArraySlice<UInt8>, verb: Verb?, subscription: inout SubscriptionControl?) -> Job? {
        if let verb {
            guard Verb.alwaysAllowed.contains(verb) || role?.allows(verb) == true else {
                return .reply(errorLine(forbidden(verb.rawValue)))
            }
        } else if role == nil {
            return .reply(errorLine(forbidden("this command")))
        }
        let command: Command
        do {
            command = try RequestParser.parse(line)
        } catch {
            return .reply(errorLine(error))
        }
        switch command {
        case .quit:
            var reply = [UInt8]()
            Reply.ok([:], to: &reply)
            return .close(reply)
        case .ping:
            var reply = [UInt8]()
            Reply.pong(to: &reply)
            return .reply(reply)
        case .append(let stream, let expected, let events):
            if let refusal = ports.replication.appendRefusal { return .reply(errorLine(refusal)) }
            do {
                let request = try Self.appendRequest(
                    stream: stream,
                    expected: expected,
                    events: events,
                    allowRecorded: role == .ops
                )
                return .append(request)
            } catch {
                return .reply(errorLine(error))
            }
        case .stored(let position):
            // At once, on the event loop: appends waiting for this follower need not wait for the requests before it.
            ports.replication.followers.stored(position, by: "\(peer)", head: ports.log.head.position)
            var reply = [UInt8]()
            Reply.ok([:], to: &reply)
            return .reply(reply)
        case .subscribe(let from, let filter):
            if let refusal = subscriptionRefusal(verb: .subscribe, filter: filter, active: subscription) {
                return .reply(errorLine(refusal))
            }
            let control = SubscriptionControl(
                id: ports.notifier.makeID(),
                notifier: ports.notifier,
                source: .log(from: from, filter: filter)
            )
            subscription = control
            return .subscribe(control)
        case .consume(let name, let filter):
            if let refusal = subscriptionRefusal(verb: .consume, filter: filter, active: subscription) {
                return .reply(errorLine(refusal))
            }
            guard Naming.isValid(name) else {
                let message =
                    "invalid consumer name \"\(name.prefix(64))\": use 1-128 characters A-Z a-z 0-9 . _ : @ -, "
                    + "starting with a letter or digit"
                return .reply(errorLine(ProtocolError(.badRequest, message)))
            }
            let id = ports.notifier.makeID()
            let session = ConsumerSession(
                name: name,
                filter: filter,
                id: id,
                registry: ports.consumers,
                notifier: ports.notifier
            )
            let control = SubscriptionControl(id: id, notifier: ports.notifier, source: .consumer(session))
            subscription = control
            return .subscribe(control)
        case .ack(let position):
            guard let active = subscription, let consumer = active.consumer else {
                let message =
                    subscription == nil
                    ? "ACK: not consuming; send CONSUME <name> first"
                    : "ACK: a SUBSCRIBE has nothing to acknowledge; durable consumers use CONSUME <name>"
                return .reply(errorLine(ProtocolError(.badRequest, message)))
            }
            // No reply of its own: the consumer's stream confirms it with ACKED, or ends with the refusal.
            if consumer.ack(position) != nil {
                active.stop()
                subscription = nil
            }
            return nil
        case .unsubscribe:
            guard let active = subscription else {
                return .reply(errorLine(ProtocolError(.badRequest, "not subscribed")))
            }
            active.stop()
            subscription = nil
            return nil
        default:
            return .command(command)
        }
    }

    /// Why a `SUBSCRIBE` or `CONSUME` is refused: another is active on the connection, or the filter names a type no
    /// event can have.
    private func subscriptionRefusal(
        verb: Verb,
        filter: EventFilter,
        active: SubscriptionControl?
    ) -> ProtocolError? {
        guard active == nil else { return ProtocolError(.badRequest, "already subscribed; send UNSUBSCRIBE first") }
        guard let unknown = filter.types.first(where: { !Self.canBeStored(type: $0) }).map({ String($0.prefix(64)) })
        else { return nil }
        let message =
            "\(verb.rawValue): no event can have type \"\(unknown)\": it is neither in the catalogue "
            + "(Protocols/events.md) nor an x- extension type"
        return ProtocolError(.badRequest, message, fields: ["type": .string(unknown)])
    }

    /// Whether an event of `type` can be in the log: a catalogue type, or an `x-` extension following the naming
    /// rule. A subscription filter naming any other type would never deliver anything.
    static func canBeStored(type: String) -> Bool {
        Catalogue.isCatalogued(type) || (Catalogue.isExtension(type) && Naming.isValid(type))
    }

    private func forbidden(_ what: String) -> ProtocolError {
        let message =
            role.map { "the \($0.rawValue) role may not use \(what)" }
            ?? "\(peer.owner) has no role on this ledger; ask an operator to map it"
        return ProtocolError(.forbidden, message, fields: role.map { ["role": .string($0.rawValue)] } ?? [:])
    }

    /// The append a line asks for; only `allowRecorded` peers (ops, importing an export) may give `recorded`.
    static func appendRequest(
        stream: String,
        expected: ExpectedVersion,
        events: JSONNode,
        allowRecorded: Bool
    ) throws(ProtocolError) -> AppendRequest {
        let objects = events.arrayValue ?? [events]
        do {
            var proposed = [ProposedEvent]()
            var parsed = [CatalogueCheck.Event]()
            proposed.reserveCapacity(objects.count)
            parsed.reserveCapacity(objects.count)
            for (index, object) in objects.enumerated() {
                let event = try ProposedEvent(json: object, index: index, allowRecorded: allowRecorded)
                proposed.append(event)
                // `ProposedEvent` has checked that `data` is there.
                guard let data = object["data"] else { continue }
                parsed.append(.init(type: event.type, data: data, meta: object["meta"]))
            }
            // The events are checked here, on the event loop, read in place; the writer gets only bytes.
            let conditions = try CatalogueCheck.conditions(stream: stream, events: parsed)
            return try AppendRequest(
                stream: stream,
                expected: expected,
                events: proposed,
                conditions: conditions
            )
        } catch {
            throw error.wire
        }
    }

    // MARK: Replying

    /// The reply to an append, and whether the connection must close after it.
    func appendReply(_ result: Result<AppendResult, EventLogError>) -> (line: [UInt8], closes: Bool) {
        switch result {
        case .success(let result):
            var reply = [UInt8]()
            reply.reserveCapacity(96)
            Reply.appended(
                first: result.first,
                last: result.last,
                version: result.version,
                duplicate: result.duplicate,
                to: &reply
            )
            return (reply, false)
        case .failure(let error):
            let wire = error.wire
            return (errorLine(wire), wire.code.closesConnection)
        }
    }

    /// The reply line for `error`, counted in the metrics by its code. An `INTERNAL` error is also logged with its
    /// cause: it is the server's fault, and the operator must be able to find out why.
    func errorLine(_ error: ProtocolError) -> [UInt8] {
        ports.metrics.refused(error.code)
        if error.code == .internal {
            ports.logger.error(
                "request failed inside the server",
                metadata: ["peer": "\(peer)", "cause": "\(error.message)"]
            )
        }
        return Self.format(error)
    }

    static func format(_ error: ProtocolError) -> [UInt8] {
        var reply = [UInt8]()
        Reply.error(error, to: &reply)
        return reply
    }
}
