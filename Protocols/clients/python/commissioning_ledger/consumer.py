"""``Consumer``: a durable consumer's events, acknowledged back to the server, at least once across reconnects."""

from __future__ import annotations

import os
import time
from collections import deque
from typing import Deque, Iterable, Optional, Tuple, Union

from .errors import (
    ConnectionClosed,
    InvalidArgument,
    LedgerError,
    Overloaded,
    ProtocolViolation,
    RequestTimeout,
    ShuttingDown,
)
from .events import Event
from .reconnect import ReconnectPolicy
from .streaming import Closed, ReconnectingStream, filter_words
from .wire import Reply, TLSFiles, request_line, word

#: The ``limit`` of ``ERR OVERLOADED`` when the server holds as many consumer names as it may: not worth retrying.
MAX_CONSUMERS_LIMIT = "limits.maxConsumers"


class Consumer(ReconnectingStream):
    """``CONSUME <name> [type ...] [stream=PREFIX ...]`` on a connection of its own.

    The server keeps the consumer's acknowledged position durably. Iterate the consumer (or call ``next_event``) to
    get the events after it, then live ones; call ``ack(position)`` once everything up to ``position`` is handled.
    When the connection drops, the consumer reconnects with back-off and the server resumes after the durable
    acknowledged position: delivery is at least once. Events up to a position this object was asked to acknowledge
    are not yielded again, and that acknowledgement is sent again on the new connection.

    When another connection holds the name, the server puts this one on standby (``standby`` is true) and it takes
    over as soon as the holder goes; iteration simply waits meanwhile.

    Use a consumer from one thread; ``close()`` may be called from another to stop an iteration.

    Attributes:
        name: the consumer's name.
        acked: the durable acknowledged position, as the server last confirmed it (``ACKED`` or ``END``).
        standby: whether the server has put this connection on standby behind another holder of the name.
        live: whether the consumer has caught up on the current connection (a ``LIVE`` line came).
        head: the head position the last ``LIVE`` line announced.

    Raises:
        CannotConnect: at construction, when the first connection cannot be made (it is not retried).
    """

    def __init__(
        self,
        address: Union[str, "os.PathLike[str]"],
        name: str,
        *,
        types: Optional[Iterable[str]] = None,
        streams: Optional[Iterable[str]] = None,
        tls: Optional[TLSFiles] = None,
        timeout: Optional[float] = 10.0,
        reconnect: Union[bool, ReconnectPolicy, None] = True,
    ) -> None:
        super().__init__(address, tls=tls, timeout=timeout, reconnect=reconnect)
        self.name = word(name, "consumer name")
        self.types: Tuple[str, ...] = tuple(types or ())
        self.streams: Tuple[str, ...] = tuple(streams or ())
        self._filter = filter_words(self.types, self.streams)
        self.acked = 0
        self.standby = False
        self.live = False
        self.head: Optional[int] = None
        self._pending: Deque[Event] = deque()
        self._wanted = 0  # the highest position ack() was asked for
        self._sent = 0  # the highest ACK sent on this connection
        self._passed = 0  # the highest position this connection has sent or passed over (EVENT, LIVE)
        self._seen = 0  # the highest such position on any connection: what ack() may name
        self._closing = False
        self._open()

    def _request(self) -> bytes:
        return request_line("CONSUME", self.name, *self._filter)

    def _connected(self) -> None:
        # Events not yet yielded come again after the durable acknowledged position; drop this connection's copies.
        self._pending.clear()
        self._sent = 0
        self._passed = 0
        self.live = False
        self.standby = False

    # Events

    def next_event(self, timeout: Optional[float] = None) -> Optional[Event]:
        """The next event; ``None`` when ``timeout`` seconds pass first (``None``: wait for ever) or the consumer was
        closed. While on standby it waits for the name to be free.

        Raises:
            ServerError: the server refused the consumer (``BadRequest`` for a bad name or filter, ``Overloaded``
                when it holds as many consumer names as it may), or reconnecting gave up.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._reading:
            try:
                while not self._pending:
                    if not self._pump(deadline):
                        return None
                return self._pending.popleft()
            except Closed:
                return None

    # Acknowledgements

    def ack(self, position: int, wait: bool = False, timeout: Optional[float] = None) -> None:
        """Acknowledges every event up to ``position`` (cumulative): an event's position, or the ``head`` of a
        ``LIVE`` line. The ``ACK`` line has no reply; ``acked`` moves when the server confirms it durable.

        Args:
            wait: return only once the acknowledgement is durable (``flush``).
            timeout: how long ``wait`` may take (default: the consumer's ``timeout``).

        Raises:
            InvalidArgument: ``position`` is beyond every position the server has sent this consumer.
            RequestTimeout: ``wait`` ran out of time.
        """
        position = int(word(position, "position"))
        if position > self._seen and position > self.acked:
            raise InvalidArgument(f"cannot acknowledge {position}: the server has sent up to {self._seen}")
        if position > self._wanted:
            self._wanted = position
            self._send_ack()
        if wait:
            self.flush(timeout)

    def flush(self, timeout: Optional[float] = None) -> None:
        """Waits until every acknowledgement asked for is durable (``acked`` reaches it), reading the stream
        meanwhile; events that arrive are kept for iteration.

        Raises:
            RequestTimeout: not within ``timeout`` seconds (default: the consumer's ``timeout``).
        """
        limit = self.timeout if timeout is None else timeout
        deadline = None if limit is None else time.monotonic() + limit
        with self._reading:
            try:
                while self.acked < self._wanted:
                    if not self._pump(deadline):
                        raise RequestTimeout(f"acknowledgement {self._wanted} not durable within {limit} s")
            except Closed:
                raise RequestTimeout(f"the consumer was closed before {self._wanted} was durable") from None

    def _send_ack(self) -> None:
        """Sends the wanted acknowledgement once this connection has passed its position (after a reconnect the
        server first sends again what came after the durable position)."""
        if self._socket is None or self._wanted <= max(self._sent, self.acked) or self._passed < self._wanted:
            return
        self._send(request_line("ACK", str(self._wanted)))
        self._sent = self._wanted

    # Lines

    def _pump(self, deadline: Optional[float]) -> bool:
        """Reads and handles one line; ``False`` when ``deadline`` passed first."""
        reply = self._next_reply(deadline, reconnect=not self._closing)
        if reply is None:
            return False
        self._handle(reply)
        return True

    def _handle(self, reply: Reply) -> None:
        keyword = reply.keyword
        if keyword == "EVENT":
            event = Event.from_bytes(reply.payload)
            self._healthy()
            self.standby = False
            self._passed = max(self._passed, event.position)
            self._seen = max(self._seen, event.position)
            if event.position > self._wanted and event.position > self.acked and not self._closing:
                self._pending.append(event)
            self._send_ack()
        elif keyword == "LIVE":
            self._healthy()
            self.standby = False
            self.live = True
            head = reply.int_field("position")
            if head is not None:
                self.head = head
                self._passed = max(self._passed, head)
                self._seen = max(self._seen, head)
            self._send_ack()
        elif keyword == "ACKED":
            position = reply.int_field("position")
            if position is not None:
                self.acked = max(self.acked, position)
        elif keyword == "STANDBY":
            self._healthy()
            self.standby = True
        elif keyword == "END":
            acked = reply.int_field("acked")
            if acked is not None:
                self.acked = max(self.acked, acked)
            if self._closing:
                raise Closed()
            self._drop(ConnectionClosed("the server ended the consumption"))
        elif keyword == "ERR":
            error = reply.error()
            resumable = isinstance(error, ShuttingDown) or (
                isinstance(error, Overloaded) and error.fields.get("limit") != MAX_CONSUMERS_LIMIT
            )
            if resumable:
                self._drop(error, reconnect=not self._closing)
                return
            self._closed = True
            self._close_socket()
            raise error
        else:
            self._closed = True
            self._close_socket()
            raise ProtocolViolation(f"a consumer got {keyword}")

    def close(self) -> int:
        """Ends the consumption: sends the acknowledgement not yet sent, then ``UNSUBSCRIBE``, and waits (up to the
        consumer's ``timeout``) for the server's ``END``, which comes once the acknowledgements sent are durable; a
        standby simply stops waiting. Events not yet yielded are dropped: the server sends them again to the next
        consumer of this name.

        Returns:
            ``acked``, the durable acknowledged position as the server last confirmed it.
        """
        if self._interrupt() or self._closed:
            return self.acked
        with self._reading:
            if self._socket is not None:
                self._closing = True
                self._send_ack()
                self._send(request_line("UNSUBSCRIBE"))
                deadline = None if self.timeout is None else time.monotonic() + self.timeout
                try:
                    while self._pump(deadline):
                        pass
                except (Closed, LedgerError):
                    pass  # the consumer is closing anyway
            self._closed = True
            self._close_socket()
        return self.acked
