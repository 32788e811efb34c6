"""``Ledger``: one connection to ``ledgerd`` for requests and their replies, reconnecting after a drop."""

from __future__ import annotations

import os
import socket
import threading
import time
from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple, TypeVar, Union

from . import wire
from .consumer import Consumer
from .errors import (
    CannotConnect,
    ConnectionClosed,
    InvalidArgument,
    LedgerError,
    ProtocolViolation,
    RequestTimeout,
    ShuttingDown,
)
from .events import AppendResult, Event, EventPage, QueryAnswer, StreamInfo
from .proofs import (
    Checkpoint,
    ConsistencyProof,
    InclusionProof,
    checkpoint_from,
    consistency_proof_from,
    inclusion_proof_from,
)
from .reconnect import ReconnectPolicy, policy_from
from .subscription import Subscription
from .uuid7 import uuid7
from .wire import LineSocket, ReadTimeout, Reply, TLSFiles, request_line, word

T = TypeVar("T")
Expected = Union[str, int]


class _Dropped(Exception):
    """The connection ended (or could not be made again) before the reply: try again if the policy allows."""

    def __init__(self, error: LedgerError) -> None:
        super().__init__(str(error))
        self.error = error


class Ledger:
    """A connection to ``ledgerd`` at a Unix-domain socket path or ``tls://HOST:PORT``, speaking protocol v1.

    Use it as a context manager (``with Ledger(path) as ledger: ...``) or call ``close()``. Requests from several
    threads are serialized. When the connection drops (the daemon restarts), a request reconnects as ``reconnect``
    allows and is sent again: every request this class sends is safe to repeat (an ``APPEND`` carries its event ids,
    so a repeat of one that was stored is answered ``duplicate``). ``subscribe`` and ``consume`` open connections of
    their own.

    Args:
        address: the daemon's socket path, or ``tls://HOST:PORT`` with ``tls`` (mutual TLS).
        timeout: seconds to wait for each reply line (and to connect); ``None`` waits for ever. After a timeout the
            connection is dropped, so a late reply is never taken for the next request's.
        reconnect: ``True`` (the default ``ReconnectPolicy``), a policy, or ``False``: the ledger is then one
            connection, and once it has dropped every request raises ``ConnectionClosed``.
        tls: the client certificate, key and CA for a ``tls://`` address.
        page_size: events per request when ``read`` and ``read_all`` page through a stream or the log.

    Raises:
        CannotConnect: the first connection could not be made (it is not retried).
    """

    def __init__(
        self,
        address: Union[str, "os.PathLike[str]"],
        *,
        timeout: Optional[float] = 10.0,
        reconnect: Union[bool, ReconnectPolicy] = True,
        tls: Optional[TLSFiles] = None,
        page_size: int = 1000,
    ) -> None:
        self.address = os.fspath(address)
        self.timeout = timeout
        self.tls = tls
        self.reconnect_policy: Optional[ReconnectPolicy] = policy_from(reconnect)
        if page_size < 1:
            raise InvalidArgument("page_size must be at least 1")
        self.page_size = page_size
        self._lock = threading.RLock()
        self._closed = False
        self._socket: Optional[LineSocket] = wire.connect(self.address, tls, timeout)

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        """Closes the connection; later requests raise ``ConnectionClosed``."""
        with self._lock:
            self._closed = True
            self._discard()

    # Requests

    def ping(self) -> None:
        """``PING``: checks the daemon answers."""
        reply = self._exchange(request_line("PING"), self._reply)
        if reply.keyword != "PONG":
            raise ProtocolViolation(f"PING was answered with {reply.keyword}")

    def hello(self) -> Dict[str, Any]:
        """``HELLO``: the server, this peer's role, the head and the limits."""
        return self._ok("HELLO")

    def status(self) -> Dict[str, Any]:
        """``STATUS``: head, root, connections, projections, replication and durable ``consumers``."""
        return self._ok("STATUS")

    def append(
        self,
        stream: str,
        events: Union[Mapping[str, Any], Sequence[Mapping[str, Any]]],
        expected: Expected = "any",
    ) -> AppendResult:
        """``APPEND``: writes ``events`` to ``stream`` atomically, once the stream satisfies ``expected``.

        Args:
            stream: the stream name.
            events: an event object ``{"type", "data", "meta"?, "id"?}`` or a list of them. A missing ``id`` is
                filled with a new UUIDv7 before the line is sent, so the client's own retry after a drop is
                answered ``duplicate`` instead of writing twice (the caller's dicts are not changed).
            expected: ``"any"``, ``"none"`` (the stream must not exist), ``"exists"``, or the stream's version.

        Raises:
            WrongExpectedVersion: ``.expected``, ``.actual``, ``.stream``.
            InvalidEvent: ``.index``, ``.field``, ``.reason``.
            DuplicateId: ``.id``, ``.position``.
        """
        if isinstance(expected, str) and expected not in ("any", "none", "exists"):
            raise InvalidArgument(f"expected must be 'any', 'none', 'exists' or a version, got {expected!r}")
        batch = _events(events)
        line = request_line(
            "APPEND", word(stream, "stream"), word(expected, "expected"), payload=batch if len(batch) > 1 else batch[0]
        )
        answer = self._exchange(line, self._ok_reply)
        return AppendResult(
            first=_int(answer, "first", "APPEND"),
            last=_int(answer, "last", "APPEND"),
            version=_int(answer, "version", "APPEND"),
            duplicate=answer.get("duplicate") is True,
            ids=tuple(event["id"] for event in batch),
        )

    def read(
        self,
        stream: str,
        start: Optional[int] = None,
        limit: Optional[int] = None,
        backwards: bool = False,
    ) -> EventPage:
        """``READ`` (or ``READBACK`` when ``backwards``): a stream's events from version ``start`` on (down).

        Args:
            start: the first version wanted (default: 1; backwards, the stream's last).
            limit: at most this many events; ``None`` reads the whole stream, ``page_size`` events per request.

        Returns:
            The events, with ``next``: the version to go on from (backwards, 0 when none is left).
        """
        name = word(stream, "stream")
        if backwards:
            return self._paged("READBACK", [name], 0 if start is None else start, limit, backwards=True)
        return self._paged("READ", [name], 1 if start is None else start, limit, backwards=False)

    def read_all(self, start: Optional[int] = None, limit: Optional[int] = None) -> EventPage:
        """``READALL``: the log from position ``start`` (default 1), at most ``limit`` events (``None``: up to the
        head, ``page_size`` events per request). ``next`` is the position to go on from."""
        return self._paged("READALL", [], 1 if start is None else start, limit, backwards=False)

    def iter_all(self, start: int = 1) -> Iterator[Event]:
        """The log from ``start`` up to the head, read a page at a time as it is iterated (for logs too long to
        hold in memory, e.g. to recompute the Merkle root). Other requests may be made between events."""
        position = max(start, 1)
        while True:
            events, following = self._events(request_line("READALL", word(position), word(self.page_size)))
            yield from events
            if len(events) < self.page_size:
                return
            position = following

    def stream_info(self, stream: str) -> StreamInfo:
        """``STREAM``: a stream's version (0 without events) and the positions of its first and last events."""
        answer = self._ok("STREAM", word(stream, "stream"))
        first, last = answer.get("first"), answer.get("last")
        return StreamInfo(
            stream=stream,
            version=_int(answer, "version", "STREAM"),
            first=first if isinstance(first, int) else None,
            last=last if isinstance(last, int) else None,
        )

    def query(
        self,
        *words: str,
        after: Optional[int] = None,
        limit: Optional[int] = None,
        start: Optional[str] = None,
    ) -> QueryAnswer:
        """``QUERY``: an answer from the commissioning projections (``Protocols/line-protocol.md``, QUERY).

        Args:
            words: the query, as words or one string: ``query("quality", "provider", "P1")`` or
                ``query("payments commissioner N01 2026-09")``.
            after: a position the answer must reflect (pass an append's ``last``); the server waits up to 5 s.
            limit: ``LIMIT <rows>``: a page of rows (payments by commissioner or provider, audit exceptions).
            start: ``FROM <next>``: the page after the one whose ``QueryAnswer.next`` this is.

        Raises:
            NotFound: an unknown entity. ServerTimeout: ``after`` was not reached in time. BadRequest: bad words.
        """
        parts: List[str] = []
        if after is not None:
            parts += ["AFTER", word(after, "after")]
        split = [part for text in words for part in str(text).split()]
        if split and split[0].upper() == "AFTER":
            raise InvalidArgument("pass AFTER as after=")
        parts += [word(part, "query word") for part in split]
        if limit is not None:
            parts += ["LIMIT", word(limit, "limit")]
        if start is not None:
            if limit is None:
                raise InvalidArgument("start (FROM) needs a limit")
            parts += ["FROM", word(start, "start")]
        rows, summary = self._exchange(request_line("QUERY", *parts), lambda sock: self._sequence(sock, "ROW"))
        return QueryAnswer(rows=[row.json() for row in rows], summary=summary)

    def verify(self, start: Optional[int] = None, end: Optional[int] = None) -> Dict[str, Any]:
        """``VERIFY``: the server rehashes events ``start`` to ``end`` (default: all) and recomputes the root;
        ``{"verified", "size", "root"}``. Raises ``Integrity`` naming the first bad ``position``."""
        words = [] if start is None and end is None else [word(1 if start is None else start, "start")]
        if end is not None:
            words.append(word(end, "end"))
        return self._ok("VERIFY", *words)

    def checkpoint(self, size: Optional[int] = None) -> Checkpoint:
        """``CHECKPOINT``: the daemon's signed checkpoint of ``size`` (default: the head), unverified."""
        return checkpoint_from(self._ok("CHECKPOINT", *_optional(size, "size")))

    def prove(self, position: int, size: Optional[int] = None) -> InclusionProof:
        """``PROVE``: the inclusion proof of the event at ``position`` in the tree of ``size`` (default: the head),
        unverified: check it with ``verify_inclusion`` against the event's bytes and a root you trust."""
        return inclusion_proof_from(self._ok("PROVE", word(position, "position"), *_optional(size, "size")))

    def consistency(self, old_size: int, new_size: Optional[int] = None) -> ConsistencyProof:
        """``CONSISTENCY``: the proof that the tree of ``old_size`` is a prefix of that of ``new_size`` (default:
        the head), unverified: check it with ``verify_consistency`` against two roots you trust."""
        return consistency_proof_from(
            self._ok("CONSISTENCY", word(old_size, "old_size"), *_optional(new_size, "new_size"))
        )

    def subscribe(
        self,
        start: int = 1,
        types: Optional[Iterable[str]] = None,
        streams: Optional[Iterable[str]] = None,
    ) -> Subscription:
        """``SUBSCRIBE``: the log's events from ``start`` on, then live ones, on a connection of its own.

        Args:
            types: only events of these types.
            streams: only events of streams whose names start with one of these prefixes.

        The subscription reconnects after a drop (as this ledger's ``reconnect`` allows) and resumes after the last
        event it yielded, so no event is yielded twice or skipped. See ``Subscription``.
        """
        return Subscription(
            self.address,
            start=start,
            types=types,
            streams=streams,
            tls=self.tls,
            timeout=self.timeout,
            reconnect=self.reconnect_policy,
        )

    def consume(
        self,
        name: str,
        types: Optional[Iterable[str]] = None,
        streams: Optional[Iterable[str]] = None,
    ) -> Consumer:
        """``CONSUME``: the durable consumer ``name``'s events after its acknowledged position, on a connection of
        its own; acknowledge with ``Consumer.ack``. See ``Consumer``."""
        return Consumer(
            self.address,
            name,
            types=types,
            streams=streams,
            tls=self.tls,
            timeout=self.timeout,
            reconnect=self.reconnect_policy,
        )

    # Exchanges

    def _ok(self, verb: str, *words: str) -> Dict[str, Any]:
        return self._exchange(request_line(verb, *words), self._ok_reply)

    def _paged(self, verb: str, fixed: List[str], start: int, limit: Optional[int], backwards: bool) -> EventPage:
        if limit is not None:
            if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
                raise InvalidArgument(f"limit must be at least 1, got {limit!r}")
            events, following = self._events(request_line(verb, *fixed, word(start, "start"), word(limit, "limit")))
            return EventPage(events, following)
        page = EventPage([], start)
        position = start
        while True:
            line = request_line(verb, *fixed, word(position, "start"), word(self.page_size))
            events, following = self._events(line)
            page.extend(events)
            page.next = following
            if len(events) < self.page_size or (backwards and following == 0):
                return page
            position = following

    def _events(self, line: bytes) -> Tuple[List[Event], int]:
        replies, end = self._exchange(line, lambda sock: self._sequence(sock, "EVENT"))
        return [Event.from_bytes(reply.payload) for reply in replies], _int(end, "next", "END")

    def _exchange(self, line: bytes, read: Callable[[LineSocket], T]) -> T:
        """Sends ``line`` and reads its reply with ``read``; after a drop, reconnects and sends it again as the
        policy allows."""
        with self._lock:
            dropped_at: Optional[float] = None
            attempt = 0
            while True:
                if self._closed:
                    raise ConnectionClosed("this Ledger is closed")
                try:
                    sock = self._connection()
                    try:
                        sock.send(line, self.timeout)
                    except socket.timeout:
                        self._discard()
                        raise RequestTimeout(f"the request could not be sent within {self.timeout} s") from None
                    except OSError:
                        pass  # the reply reader sees the end of the connection (and any ERR before it)
                    return read(sock)
                except _Dropped as drop:
                    self._discard()
                    policy = self.reconnect_policy
                    now = time.monotonic()
                    dropped_at = now if dropped_at is None else dropped_at
                    if policy is None or (
                        policy.give_up_after is not None and now - dropped_at >= policy.give_up_after
                    ):
                        raise drop.error from None
                    attempt += 1
                    time.sleep(policy.delay(attempt))

    def _connection(self) -> LineSocket:
        if self._socket is not None and self._socket.is_idle():
            return self._socket
        self._discard()
        if self.reconnect_policy is None:
            raise _Dropped(ConnectionClosed(f"the connection to {self.address} was closed"))
        try:
            self._socket = wire.connect(self.address, self.tls, self.timeout)
        except CannotConnect as error:
            raise _Dropped(error) from None
        return self._socket

    def _discard(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None

    def _reply(self, sock: LineSocket) -> Reply:
        """The next reply line; an ``ERR`` line is raised (a closing one drops the connection first)."""
        try:
            line = sock.read_line(self.timeout)
        except ReadTimeout:
            self._discard()
            raise RequestTimeout(f"no reply from {self.address} within {self.timeout} s") from None
        if line is None:
            raise _Dropped(ConnectionClosed(f"the connection to {self.address} was closed"))
        reply = Reply.parse(line)
        if reply.keyword == "ERR":
            error = reply.error()
            if isinstance(error, ShuttingDown):
                raise _Dropped(error)
            if error.CLOSES_CONNECTION:
                self._discard()
            raise error
        return reply

    def _ok_reply(self, sock: LineSocket) -> Dict[str, Any]:
        reply = self._reply(sock)
        if reply.keyword != "OK":
            self._discard()
            raise ProtocolViolation(f"expected OK, got {reply.keyword}")
        answer = reply.json()
        if not isinstance(answer, dict):
            raise ProtocolViolation("an OK reply is not a JSON object")
        return answer

    def _sequence(self, sock: LineSocket, keyword: str) -> Tuple[List[Reply], Dict[str, Any]]:
        """``keyword`` lines up to ``END``: the lines and the ``END`` object."""
        items: List[Reply] = []
        while True:
            reply = self._reply(sock)
            if reply.keyword == keyword:
                items.append(reply)
            elif reply.keyword == "END":
                end = reply.json()
                if not isinstance(end, dict):
                    raise ProtocolViolation("END is not a JSON object")
                return items, end
            else:
                self._discard()
                raise ProtocolViolation(f"expected {keyword} or END, got {reply.keyword}")


def _events(events: Union[Mapping[str, Any], Sequence[Mapping[str, Any]]]) -> List[Dict[str, Any]]:
    """The event objects to send, each with an id (a new UUIDv7 where missing) and ``data`` (``{}`` if missing)."""
    items = [events] if isinstance(events, Mapping) else list(events)
    if not items:
        raise InvalidArgument("an append needs at least one event")
    batch = []
    for index, event in enumerate(items):
        if not isinstance(event, Mapping):
            raise InvalidArgument(f"event {index} is not a mapping: {type(event).__name__}")
        item = dict(event)
        if item.get("id") is None:
            item["id"] = uuid7()
        item.setdefault("data", {})
        batch.append(item)
    return batch


def _int(obj: Mapping[str, Any], name: str, verb: str) -> int:
    value = obj.get(name)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ProtocolViolation(f"{verb} was answered without an integer {name!r}")
    return value


def _optional(value: Optional[int], name: str) -> List[str]:
    return [] if value is None else [word(value, name)]

