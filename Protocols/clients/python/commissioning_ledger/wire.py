"""The line protocol's transport: sockets (Unix-domain or mutual TLS), request lines and reply lines.

Internal to the package: ``Ledger``, ``Subscription`` and ``Consumer`` are built on it.
"""

from __future__ import annotations

import json
import os
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Any, Optional, Union

from .errors import CannotConnect, InvalidArgument, ProtocolViolation, ServerError, server_error

#: The scheme of a TLS address, ``tls://HOST:PORT``.
TLS_SCHEME = "tls://"
#: The longest reply line accepted: an event's stored bytes plus its keyword (as the Swift client).
MAX_REPLY_LINE_BYTES = 16 << 20


@dataclass(frozen=True)
class TLSFiles:
    """A client's side of mutual TLS: its certificate chain and key (PEM), and the CA (PEM) the daemon's
    certificate must chain to (the daemon's host name or IP address must be in that certificate)."""

    certificate_file: str
    key_file: str
    ca_file: str


class ReadTimeout(Exception):
    """No complete line came in time (internal; the socket stays usable)."""


class LineSocket:
    """A connected socket read as LF-terminated lines, with its own buffer so a timeout loses nothing."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._buffer = bytearray()
        self._start = 0
        self._scanned = 0
        self._eof = False

    def send(self, data: bytes, timeout: Optional[float]) -> None:
        """Writes ``data`` whole. Raises ``OSError`` (``socket.timeout`` included) when the connection fails."""
        self._sock.settimeout(timeout)
        self._sock.sendall(data)

    def read_line(self, timeout: Optional[float]) -> Optional[bytes]:
        """The next line without its LF (and CR); ``None`` once the peer has closed (a half line is dropped).

        Raises:
            ReadTimeout: no whole line within ``timeout`` seconds (``None``: wait for ever).
            ProtocolViolation: a line longer than ``MAX_REPLY_LINE_BYTES``.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            end = self._buffer.find(b"\n", self._scanned)
            if end >= 0:
                line = bytes(self._buffer[self._start : end])
                self._start = self._scanned = end + 1
                if self._start > 1 << 16:
                    del self._buffer[: self._start]
                    self._start = self._scanned = 0
                return line[:-1] if line.endswith(b"\r") else line
            self._scanned = len(self._buffer)
            if self._scanned - self._start > MAX_REPLY_LINE_BYTES:
                raise ProtocolViolation(f"a reply line is longer than {MAX_REPLY_LINE_BYTES} bytes")
            if self._eof:
                return None
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                raise ReadTimeout()
            self._sock.settimeout(remaining)
            try:
                chunk = self._sock.recv(1 << 16)
            except socket.timeout:
                raise ReadTimeout() from None
            except OSError:
                chunk = b""
            if not chunk:
                self._eof = True
            self._buffer += chunk

    def is_idle(self) -> bool:
        """Whether nothing has arrived unasked (such as ``ERR SHUTTING_DOWN``) and the peer has not closed."""
        if self._eof or self._start < len(self._buffer):
            return False
        try:
            self._sock.setblocking(False)
            chunk = self._sock.recv(1 << 16)
        except (BlockingIOError, ssl.SSLWantReadError, ssl.SSLWantWriteError):
            return True
        except OSError:
            return False
        finally:
            try:
                self._sock.setblocking(True)
            except OSError:
                pass
        if not chunk:
            self._eof = True
            return False
        self._buffer += chunk
        return False

    def shutdown(self) -> None:
        """Wakes up a thread blocked reading (from another thread): it sees the end of the connection."""
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def close(self) -> None:
        """Closes the socket."""
        try:
            self._sock.close()
        except OSError:
            pass


def connect(address: str, tls: Optional[TLSFiles], timeout: Optional[float]) -> LineSocket:
    """Connects to a Unix-domain socket path or to ``tls://HOST:PORT``.

    Raises:
        CannotConnect: naming the address and the reason.
    """
    try:
        if address.startswith(TLS_SCHEME):
            return LineSocket(_connect_tls(address[len(TLS_SCHEME) :], tls, timeout))
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(timeout)
            sock.connect(address)
        except BaseException:
            sock.close()
            raise
        return LineSocket(sock)
    except (OSError, ValueError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise CannotConnect(address, reason) from None


def _connect_tls(host_and_port: str, tls: Optional[TLSFiles], timeout: Optional[float]) -> socket.socket:
    host, colon, port = host_and_port.rpartition(":")
    if not colon or not port.isdigit() or not host:
        raise ValueError("a TLS address is tls://HOST:PORT")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if tls is None:
        raise ValueError("a tls:// address needs a client certificate, its key and the server's CA (tls=TLSFiles)")
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=tls.ca_file)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(tls.certificate_file, tls.key_file)
    raw = socket.create_connection((host, int(port)), timeout=timeout)
    try:
        return context.wrap_socket(raw, server_hostname=host)
    except BaseException:
        raw.close()
        raise


@dataclass(frozen=True)
class Reply:
    """One reply line: its keyword (``OK``, ``EVENT``, ``END``, ``ERR``, ...), the error code of an ``ERR`` line, and
    the bytes after them (the JSON, exactly as sent)."""

    keyword: str
    code: Optional[str]
    payload: bytes

    @classmethod
    def parse(cls, line: bytes) -> "Reply":
        """Splits a reply line (without its LF)."""
        keyword, _, rest = line.partition(b" ")
        try:
            word = keyword.decode("ascii")
        except UnicodeDecodeError:
            raise ProtocolViolation(f"a reply line starts with {keyword[:40]!r}") from None
        if word == "ERR":
            code, _, rest = rest.partition(b" ")
            return cls(word, code.decode("ascii", "replace"), rest)
        return cls(word, None, rest)

    def json(self) -> Any:
        """The payload decoded.

        Raises:
            ProtocolViolation: it is not JSON.
        """
        try:
            return json.loads(self.payload)
        except ValueError:
            raise ProtocolViolation(f"{self.keyword} reply is not JSON: {self.payload[:200]!r}") from None

    def int_field(self, name: str) -> Optional[int]:
        """The integer ``name`` of the payload object (``LIVE``, ``ACKED``, ``END``), or ``None``."""
        obj = self.json()
        value = obj.get(name) if isinstance(obj, dict) else None
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def error(self) -> ServerError:
        """The exception an ``ERR`` line stands for."""
        try:
            fields = json.loads(self.payload) if self.payload else {}
        except ValueError:
            fields = {"message": self.payload.decode("utf-8", "replace")}
        if not isinstance(fields, dict):
            fields = {"message": str(fields)}
        return server_error(self.code or "INTERNAL", fields)


Word = Union[str, int]


def word(value: Word, name: str = "argument") -> str:
    """One argument of a request line: a non-negative integer, or text without spaces, control characters or a
    leading ``{`` / ``[`` (which would start JSON).

    Raises:
        InvalidArgument: it would change the line's meaning.
    """
    if isinstance(value, bool):
        raise InvalidArgument(f"{name} must be an integer or a word, got {value!r}")
    if isinstance(value, int):
        if value < 0 or value > (1 << 63) - 1:
            raise InvalidArgument(f"{name} must be an integer from 0 to 9223372036854775807, got {value}")
        return str(value)
    if not isinstance(value, str):
        value = os.fspath(value) if hasattr(value, "__fspath__") else value
    if not isinstance(value, str) or not value:
        raise InvalidArgument(f"{name} must be a non-empty word, got {value!r}")
    if value[0] in "{[" or any(ord(c) <= 0x20 or ord(c) == 0x7F for c in value):
        raise InvalidArgument(f"{name} {value!r} cannot be one word of a request line")
    return value


def request_line(verb: str, *words: str, payload: Optional[Any] = None) -> bytes:
    """``VERB WORD ... [JSON]`` and its LF, as UTF-8."""
    parts = [verb, *words]
    if payload is not None:
        try:
            parts.append(json.dumps(payload, separators=(",", ":"), ensure_ascii=False, allow_nan=False))
        except (TypeError, ValueError) as error:
            raise InvalidArgument(f"{verb}: the JSON cannot be encoded: {error}") from None
    try:
        return (" ".join(parts) + "\n").encode("utf-8")
    except UnicodeEncodeError as error:
        raise InvalidArgument(f"{verb}: the line is not valid UTF-8: {error}") from None
