"""``Subscription``: the log's events as they commit, resumed after reconnecting."""

from __future__ import annotations

import os
import time
from typing import Iterable, Optional, Tuple, Union

from .errors import ConnectionClosed, Overloaded, ProtocolViolation, ShuttingDown
from .events import Event
from .reconnect import ReconnectPolicy
from .streaming import Closed, ReconnectingStream, filter_words
from .wire import Reply, TLSFiles, request_line, word

__all__ = ["Subscription", "filter_words"]


class Subscription(ReconnectingStream):
    """``SUBSCRIBE [from] [type ...] [stream=PREFIX ...]`` on a connection of its own: catch-up, then live events.

    Iterate it (``for event in subscription``) or call ``next_event(timeout)``. When the connection drops (the daemon
    restarts, or drops a slow subscriber with ``ERR OVERLOADED``), it reconnects with back-off and resumes after the
    last event it yielded (or the head a ``LIVE`` line announced), so no event is yielded twice or skipped. Use it
    from one thread; ``close()`` may be called from another to stop an iteration.

    Attributes:
        next_position: the position the subscription resumes from.
        live: whether it has caught up (a ``LIVE`` line came on the current connection).
        head: the head position the last ``LIVE`` line announced.

    Raises:
        CannotConnect: at construction, when the first connection cannot be made (it is not retried).
    """

    def __init__(
        self,
        address: Union[str, "os.PathLike[str]"],
        *,
        start: int = 1,
        types: Optional[Iterable[str]] = None,
        streams: Optional[Iterable[str]] = None,
        tls: Optional[TLSFiles] = None,
        timeout: Optional[float] = 10.0,
        reconnect: Union[bool, ReconnectPolicy, None] = True,
    ) -> None:
        super().__init__(address, tls=tls, timeout=timeout, reconnect=reconnect)
        self.types: Tuple[str, ...] = tuple(types or ())
        self.streams: Tuple[str, ...] = tuple(streams or ())
        self._filter = filter_words(self.types, self.streams)
        self.next_position = max(int(word(start, "start")), 1)
        self.live = False
        self.head: Optional[int] = None
        self._open()

    def _request(self) -> bytes:
        return request_line("SUBSCRIBE", str(self.next_position), *self._filter)

    def _connected(self) -> None:
        self.live = False

    def next_event(self, timeout: Optional[float] = None) -> Optional[Event]:
        """The next event; ``None`` when ``timeout`` seconds pass first (``None``: wait for ever) or the
        subscription was closed.

        Raises:
            ServerError: the server refused the subscription (``BadRequest`` for a type no event can have,
                ``Forbidden``), or reconnecting gave up.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._reading:
            try:
                while True:
                    reply = self._next_reply(deadline)
                    if reply is None:
                        return None
                    event = self._handle(reply)
                    if event is not None:
                        return event
            except Closed:
                return None

    def _handle(self, reply: Reply) -> Optional[Event]:
        keyword = reply.keyword
        if keyword == "EVENT":
            event = Event.from_bytes(reply.payload)
            self._healthy()
            if event.position < self.next_position:
                return None
            self.next_position = event.position + 1
            return event
        if keyword == "LIVE":
            self._healthy()
            self.live = True
            head = reply.int_field("position")
            if isinstance(head, int):
                self.head = head
                self.next_position = max(self.next_position, head + 1)
            return None
        if keyword == "END":
            self._drop(ConnectionClosed("the server ended the subscription"))
            return None
        if keyword == "ERR":
            error = reply.error()
            if isinstance(error, (ShuttingDown, Overloaded)):
                position = error.fields.get("position")
                if isinstance(position, int) and position > 0:
                    self.next_position = max(self.next_position, position)
                self._drop(error)
                return None
            self._closed = True
            self._close_socket()
            raise error
        self._close_socket()
        self._closed = True
        raise ProtocolViolation(f"a subscription got {keyword}")

