"""Commissioning Ledger client: talks to ``ledgerd`` over its line protocol (``Protocols/line-protocol.md``).

Standard library only. ``Ledger`` makes requests; ``Ledger.subscribe`` and ``Ledger.consume`` stream events on
connections of their own; ``verify_inclusion`` and ``verify_consistency`` check the daemon's Merkle proofs
(RFC 9162) on the client side.

    from commissioning_ledger import Ledger

    with Ledger("/run/ledgerd/ledgerd.sock") as ledger:
        result = ledger.append("notes-42", {"type": "x-case-note", "data": {"person": "P-7f3a"}})
        for event in ledger.read("notes-42"):
            print(event.position, event.type, event.data)
"""

from .connection import Ledger
from .consumer import Consumer
from .errors import (
    ERRORS_BY_CODE,
    BadJson,
    BadRequest,
    CannotConnect,
    ConnectionClosed,
    DuplicateId,
    Forbidden,
    Integrity,
    Internal,
    InvalidArgument,
    InvalidEvent,
    LedgerError,
    LineTooLong,
    NotFound,
    Overloaded,
    ProtocolViolation,
    ReadOnly,
    RequestTimeout,
    ServerError,
    ServerTimeout,
    ShuttingDown,
    StaleEpoch,
    StorageFull,
    Unavailable,
    UnknownCommand,
    WrongExpectedVersion,
)
from .events import AppendResult, Event, EventPage, QueryAnswer, StreamInfo, new_event
from .proofs import (
    EMPTY_ROOT,
    Checkpoint,
    ConsistencyProof,
    InclusionProof,
    leaf_hash,
    merkle_root,
    node_hash,
    verify_consistency,
    verify_inclusion,
)
from .reconnect import ReconnectPolicy
from .subscription import Subscription
from .uuid7 import uuid7
from .wire import TLSFiles

__version__ = "0.1.0"

__all__ = [
    "AppendResult",
    "BadJson",
    "BadRequest",
    "CannotConnect",
    "Checkpoint",
    "ConnectionClosed",
    "ConsistencyProof",
    "Consumer",
    "DuplicateId",
    "EMPTY_ROOT",
    "ERRORS_BY_CODE",
    "Event",
    "EventPage",
    "Forbidden",
    "InclusionProof",
    "Integrity",
    "Internal",
    "InvalidArgument",
    "InvalidEvent",
    "Ledger",
    "LedgerError",
    "LineTooLong",
    "NotFound",
    "Overloaded",
    "ProtocolViolation",
    "QueryAnswer",
    "ReadOnly",
    "ReconnectPolicy",
    "RequestTimeout",
    "ServerError",
    "ServerTimeout",
    "ShuttingDown",
    "StaleEpoch",
    "StorageFull",
    "StreamInfo",
    "Subscription",
    "TLSFiles",
    "Unavailable",
    "UnknownCommand",
    "WrongExpectedVersion",
    "leaf_hash",
    "merkle_root",
    "new_event",
    "node_hash",
    "uuid7",
    "verify_consistency",
    "verify_inclusion",
]
