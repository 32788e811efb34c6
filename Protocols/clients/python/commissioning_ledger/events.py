"""Events as the server stores them, and the results of appends, reads and queries."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Tuple

from .errors import ProtocolViolation
from .uuid7 import uuid7


@dataclass(frozen=True)
class Event:
    """One stored event, decoded from the exact bytes of its ``EVENT`` line.

    ``raw`` are the stored bytes themselves: the Merkle tree's leaf hash is ``SHA-256(0x00 || raw)``, so keep them
    rather than re-encoding the fields.
    """

    position: int
    stream: str
    version: int
    id: str
    type: str
    recorded: str
    data: Dict[str, Any]
    meta: Dict[str, Any]
    raw: bytes = field(repr=False)

    def __hash__(self) -> int:
        return hash(self.raw)

    @classmethod
    def from_bytes(cls, raw: bytes) -> "Event":
        """Decodes an event's stored bytes (the JSON of an ``EVENT`` line).

        Raises:
            ProtocolViolation: the bytes are not an event object.
        """
        raw = bytes(raw)
        try:
            obj = json.loads(raw)
        except ValueError as error:
            raise ProtocolViolation(f"an event is not JSON: {error}") from None
        if not isinstance(obj, dict):
            raise ProtocolViolation("an event is not a JSON object")
        values = []
        for name, kind in _EVENT_FIELDS:
            value = obj.get(name)
            if not isinstance(value, kind) or isinstance(value, bool):
                raise ProtocolViolation(f"the event has no {kind.__name__} {name!r}")
            values.append(value)
        return cls(*values, raw=raw)

    @property
    def leaf_hash(self) -> bytes:
        """The event's RFC 6962 leaf hash, ``SHA-256(0x00 || raw)``."""
        return hashlib.sha256(b"\x00" + self.raw).digest()


_EVENT_FIELDS: Tuple[Tuple[str, type], ...] = (
    ("position", int),
    ("stream", str),
    ("version", int),
    ("id", str),
    ("type", str),
    ("recorded", str),
    ("data", dict),
    ("meta", dict),
)


def new_event(
    type: str,
    data: Optional[Mapping[str, Any]] = None,
    meta: Optional[Mapping[str, Any]] = None,
    id: Optional[str] = None,
) -> Dict[str, Any]:
    """An event object for ``Ledger.append`` with its id fixed now (a new UUIDv7 unless ``id`` is given).

    Keep the object to retry an append yourself: the same ids make the retry answer ``duplicate``.
    """
    event: Dict[str, Any] = {"id": id or uuid7(), "type": type, "data": dict(data or {})}
    if meta is not None:
        event["meta"] = dict(meta)
    return event


@dataclass(frozen=True)
class AppendResult:
    """The answer to ``APPEND``: the positions written and the stream's version after them.

    ``duplicate`` is true when the events were already stored identically (a retry): the positions are the original
    ones and nothing was written. ``ids`` are the events' ids, those the client chose included.
    """

    first: int
    last: int
    version: int
    duplicate: bool = False
    ids: Tuple[str, ...] = ()


@dataclass(frozen=True)
class StreamInfo:
    """What ``STREAM`` tells of a stream: its version (0 without events) and its first and last log positions."""

    stream: str
    version: int
    first: Optional[int] = None
    last: Optional[int] = None


class EventPage(List[Event]):
    """A list of events with ``next``: the version (``READ``, ``READBACK``) or position (``READALL``) to go on from.

    For a backward read, ``next`` 0 means nothing is left.
    """

    def __init__(self, events: Any = (), next: int = 0) -> None:
        super().__init__(events)
        self.next = next

    def __repr__(self) -> str:
        return f"EventPage({list.__repr__(self)}, next={self.next})"


@dataclass(frozen=True)
class QueryAnswer:
    """The answer to ``QUERY``: its ``ROW`` objects and the ``END`` summary."""

    rows: List[Dict[str, Any]]
    summary: Dict[str, Any]

    @property
    def position(self) -> int:
        """The log position the answer reflects."""
        return int(self.summary.get("position", 0))

    @property
    def count(self) -> int:
        """The number of rows."""
        return int(self.summary.get("count", len(self.rows)))

    @property
    def next(self) -> Optional[str]:
        """Where the next page of a ``LIMIT`` query starts (pass it as ``start``), or ``None`` on the last page."""
        value = self.summary.get("next")
        return value if isinstance(value, str) else None
