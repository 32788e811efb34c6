"""Exceptions: one class per wire error code (``ERR <CODE> {...}``) and a few for failures on the client side.

Every exception derives from :class:`LedgerError`, which carries ``code`` (the wire code, ``None`` for client-side
failures), ``message`` and ``fields`` (the whole JSON object of the ``ERR`` line). The fields a code documents in
``Protocols/line-protocol.md`` are also attributes, e.g. ``WrongExpectedVersion.actual``.
"""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional, Tuple, Type


class LedgerError(Exception):
    """Base of every error this client raises."""

    code: Optional[str] = None

    def __init__(self, message: str, fields: Optional[Mapping[str, Any]] = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields: Dict[str, Any] = dict(fields or {})

    def __str__(self) -> str:
        return f"{self.code}: {self.message}" if self.code else self.message


class ServerError(LedgerError):
    """The server refused a request with ``ERR <CODE> <json>``.

    A subclass per code; a code this client does not know arrives as ``ServerError`` itself, with its ``code``.
    """

    CODE = ""
    #: Whether the server closes the connection after this error (the error table of the spec).
    CLOSES_CONNECTION = False
    #: The JSON fields copied onto attributes (``None`` when absent).
    ATTRIBUTES: Tuple[str, ...] = ()

    def __init__(self, message: str, fields: Optional[Mapping[str, Any]] = None, code: Optional[str] = None) -> None:
        super().__init__(message, fields)
        self.code = code or self.CODE or None
        for name in self.ATTRIBUTES:
            setattr(self, name, self.fields.get(name))


class BadRequest(ServerError):
    """Not a well-formed request: wrong arity, a number out of range, a bad name; ``position`` for an ACK too far."""

    CODE = "BAD_REQUEST"
    ATTRIBUTES = ("position", "type", "stream", "head")


class UnknownCommand(ServerError):
    """The verb is not one the server knows."""

    CODE = "UNKNOWN_COMMAND"


class BadJson(ServerError):
    """The JSON is invalid, too deep, has duplicate keys or too long a number."""

    CODE = "BAD_JSON"


class InvalidEvent(ServerError):
    """An event breaks the event catalogue: ``index`` of the event in the batch, ``field``, ``reason``."""

    CODE = "INVALID_EVENT"
    ATTRIBUTES = ("index", "field", "reason")


class WrongExpectedVersion(ServerError):
    """The stream's version did not match; nothing was written. ``stream``, ``expected``, ``actual``."""

    CODE = "WRONG_EXPECTED_VERSION"
    ATTRIBUTES = ("stream", "expected", "actual")


class DuplicateId(ServerError):
    """An event id is stored with other content (``id``, stored at ``position``)."""

    CODE = "DUPLICATE_ID"
    ATTRIBUTES = ("id", "position")


class NotFound(ServerError):
    """The thing asked for does not exist; past the head, ``requested`` and ``head``."""

    CODE = "NOT_FOUND"
    ATTRIBUTES = ("requested", "head")


class Forbidden(ServerError):
    """The peer's role does not allow the command."""

    CODE = "FORBIDDEN"


class LineTooLong(ServerError):
    """The request line exceeds the server's limit; the connection is closed."""

    CODE = "LINE_TOO_LONG"
    CLOSES_CONNECTION = True


class Overloaded(ServerError):
    """Over a limit (``limit`` names the configuration key) or a stalled subscriber (``position`` to resume from)."""

    CODE = "OVERLOADED"
    CLOSES_CONNECTION = True
    ATTRIBUTES = ("limit", "position")


class StorageFull(ServerError):
    """The disk or the map is full; nothing was written, reads still work."""

    CODE = "STORAGE_FULL"


class Integrity(ServerError):
    """Stored bytes do not match their hashes, or an index entry points at another event (``position``)."""

    CODE = "INTEGRITY"
    ATTRIBUTES = ("position",)


class ServerTimeout(ServerError):
    """A bounded wait on the server ran out (``QUERY AFTER`` a position the projections did not reach)."""

    CODE = "TIMEOUT"


class Unavailable(ServerError):
    """What answers the request is not ready yet; the same request succeeds later."""

    CODE = "UNAVAILABLE"


class ReadOnly(ServerError):
    """``APPEND`` on a follower or a fenced former primary: ``epoch`` and, when known, ``primary``."""

    CODE = "READ_ONLY"
    ATTRIBUTES = ("epoch", "primary")


class StaleEpoch(ServerError):
    """``FENCE`` named an epoch no newer than the server's (``epoch``)."""

    CODE = "STALE_EPOCH"
    ATTRIBUTES = ("epoch",)


class ShuttingDown(ServerError):
    """The server is stopping; the connection is closed."""

    CODE = "SHUTTING_DOWN"
    CLOSES_CONNECTION = True


class Internal(ServerError):
    """An unexpected failure inside the server."""

    CODE = "INTERNAL"


#: The exception class for each wire code of protocol v1.
ERRORS_BY_CODE: Dict[str, Type[ServerError]] = {
    cls.CODE: cls
    for cls in (
        BadRequest,
        UnknownCommand,
        BadJson,
        InvalidEvent,
        WrongExpectedVersion,
        DuplicateId,
        NotFound,
        Forbidden,
        LineTooLong,
        Overloaded,
        StorageFull,
        Integrity,
        ServerTimeout,
        Unavailable,
        ReadOnly,
        StaleEpoch,
        ShuttingDown,
        Internal,
    )
}


def server_error(code: str, fields: Mapping[str, Any]) -> ServerError:
    """The exception for ``ERR <code> <fields>``."""
    message = fields.get("message")
    text = message if isinstance(message, str) else ""
    cls = ERRORS_BY_CODE.get(code, ServerError)
    return cls(text, fields, code=code)


class CannotConnect(LedgerError):
    """The address could not be reached (no such socket, refused, permission denied, TLS handshake failed)."""

    def __init__(self, address: str, reason: str) -> None:
        super().__init__(f"cannot connect to {address}: {reason}")
        self.address = address
        self.reason = reason


class ConnectionClosed(LedgerError):
    """The connection ended before the reply came, and reconnecting was not allowed or gave up."""


class RequestTimeout(LedgerError, TimeoutError):
    """No reply line came within the client's timeout; the connection is dropped (a late reply is never misread)."""


class ProtocolViolation(LedgerError):
    """The server sent something protocol v1 does not allow here."""


class InvalidArgument(LedgerError, ValueError):
    """An argument cannot be sent (a word with a space, a negative number, JSON the server would refuse)."""
