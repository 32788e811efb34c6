"""What subscriptions and durable consumers share: a connection of their own that streams reply lines, made again
with back-off after it drops."""

from __future__ import annotations

import os
import threading
import time
from typing import Any, Iterable, Iterator, List, Optional, Union

from . import wire
from .errors import CannotConnect, ConnectionClosed, LedgerError
from .events import Event
from .reconnect import ReconnectPolicy, policy_from
from .wire import LineSocket, ReadTimeout, Reply, TLSFiles, word


def filter_words(types: Optional[Iterable[str]], streams: Optional[Iterable[str]]) -> List[str]:
    """The filter of a ``SUBSCRIBE`` or ``CONSUME`` line: the types, then ``stream=PREFIX`` per stream prefix."""
    if isinstance(types, str) or isinstance(streams, str):
        raise TypeError("types and streams are lists of strings, not one string")
    words = [word(t, "type") for t in types or ()]
    words += ["stream=" + word(prefix, "stream prefix") for prefix in streams or ()]
    return words


class Closed(Exception):
    """The stream was closed (internal)."""


class ReconnectingStream:
    """A connection that carries one streaming request (``SUBSCRIBE``, ``CONSUME``); subclasses say what to send
    and what each line means."""

    def __init__(
        self,
        address: Union[str, "os.PathLike[str]"],
        *,
        tls: Optional[TLSFiles],
        timeout: Optional[float],
        reconnect: Union[bool, ReconnectPolicy, None],
    ) -> None:
        self.address = os.fspath(address)
        self.tls = tls
        self.timeout = timeout
        self.reconnect_policy = policy_from(reconnect)
        self._socket: Optional[LineSocket] = None
        self._closed = False
        self._dropped_at: Optional[float] = None
        self._attempts = 0
        self._next_attempt_at: Optional[float] = None
        self._reading = threading.Lock()

    # For subclasses

    def _request(self) -> bytes:
        """The streaming request line to send on each new connection."""
        raise NotImplementedError

    def _connected(self) -> None:
        """Resets what belongs to one connection."""

    def next_event(self, timeout: Optional[float] = None) -> Optional[Event]:
        """The next event, or ``None`` after ``timeout`` seconds or once closed (each kind of stream says more)."""
        raise NotImplementedError

    def __iter__(self) -> Iterator[Event]:
        return self

    def __next__(self) -> Event:
        event = self.next_event()
        if event is None:
            raise StopIteration
        return event

    def _open(self) -> None:
        """Connects and sends the request.

        Raises:
            CannotConnect: no connection.
        """
        sock = wire.connect(self.address, self.tls, self.timeout)
        try:
            sock.send(self._request(), self.timeout)
        except OSError:
            pass  # the connection's end shows when it is read
        self._socket = sock
        self._connected()

    def _healthy(self) -> None:
        """A line arrived that shows the stream works: the next outage starts its back-off afresh."""
        self._dropped_at = None
        self._attempts = 0

    def _send(self, line: bytes) -> None:
        if self._socket is not None:
            try:
                self._socket.send(line, self.timeout)
            except OSError:
                pass  # the reader sees the drop

    def _next_reply(self, deadline: Optional[float], reconnect: bool = True) -> Optional[Reply]:
        """The next reply line; ``None`` when ``deadline`` passes first. Reconnects after a drop when allowed.

        Raises:
            Closed: the stream was closed.
            LedgerError: the drop's error, once reconnecting is not allowed or gave up.
        """
        while True:
            if self._closed:
                self._close_socket()
                raise Closed()
            if self._socket is None and not self._reconnect(deadline):
                return None
            assert self._socket is not None
            remaining = None if deadline is None else max(deadline - time.monotonic(), 0.0)
            try:
                line = self._socket.read_line(remaining)
            except ReadTimeout:
                return None
            if line is None:
                if self._closed:
                    self._close_socket()
                    raise Closed()
                self._drop(ConnectionClosed(f"the connection to {self.address} was closed"), reconnect)
                continue
            return Reply.parse(line)

    def _drop(self, error: LedgerError, reconnect: bool = True) -> None:
        """Closes the connection after ``error``; raises it unless reconnecting is allowed and has not given up."""
        self._close_socket()
        now = time.monotonic()
        if self._dropped_at is None:
            self._dropped_at = now
        if not reconnect or self._gave_up(now):
            self._closed = True
            raise error

    def _gave_up(self, now: float) -> bool:
        policy = self.reconnect_policy
        return (
            policy is None
            or self._dropped_at is not None
            and policy.give_up_after is not None
            and now - self._dropped_at >= policy.give_up_after
        )

    def _reconnect(self, deadline: Optional[float]) -> bool:
        """Connects again, waiting the policy's delays; ``False`` when ``deadline`` passes first."""
        policy = self.reconnect_policy or ReconnectPolicy()
        while self._socket is None:
            if self._closed:
                raise Closed()
            now = time.monotonic()
            if self._next_attempt_at is None:
                self._attempts += 1
                self._next_attempt_at = now + policy.delay(self._attempts)
            wait = self._next_attempt_at - now
            if wait > 0:
                if deadline is not None and now + wait > deadline:
                    time.sleep(max(deadline - now, 0.0))
                    return False
                time.sleep(wait)
            self._next_attempt_at = None
            try:
                self._open()
            except CannotConnect:
                if self._gave_up(time.monotonic()):
                    self._closed = True
                    raise
        return True

    def _close_socket(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None

    def _interrupt(self) -> bool:
        """Closes the stream for a thread blocked reading it, if there is one: ``True`` if so."""
        if self._reading.acquire(blocking=False):
            self._reading.release()
            return False
        self._closed = True
        if self._socket is not None:
            self._socket.shutdown()
        return True

    @property
    def closed(self) -> bool:
        """Whether the stream has ended (closed, or failed for good)."""
        return self._closed

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> Any:
        """Ends the stream and closes its connection."""
        if not self._interrupt():
            self._closed = True
            self._close_socket()
