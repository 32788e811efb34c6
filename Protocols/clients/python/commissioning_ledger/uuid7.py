"""Time-ordered UUIDv7 event ids (RFC 9562, section 5.7), strictly increasing within this process.

The 48-bit Unix time in milliseconds is followed by a 12-bit counter in ``rand_a`` (RFC 9562 section 6.2, method 1,
"fixed bit-length dedicated counter"): it starts at a random value below 2048 each new millisecond and counts up
within one, so ids made in the same millisecond still increase; when it would overflow, or the clock steps back, the
timestamp is carried forward by one millisecond instead. The server appends ids above every stored one without a
search, so this is the fastest kind of id for it.
"""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def uuid7() -> str:
    """A new UUIDv7, lowercase, greater than every id this process made before."""
    global _last_ms, _counter
    now = time.time_ns() // 1_000_000
    random_bytes = os.urandom(10)
    with _lock:
        if now > _last_ms:
            _last_ms = now
            _counter = int.from_bytes(random_bytes[:2], "big") & 0x7FF
        else:
            _counter += 1
            if _counter > 0xFFF:
                _last_ms += 1
                _counter = int.from_bytes(random_bytes[:2], "big") & 0x7FF
        ms, counter = _last_ms, _counter
    rand_b = int.from_bytes(random_bytes[2:], "big") & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | counter << 64 | 0b10 << 62 | rand_b
    return str(uuid.UUID(int=value))


def timestamp_ms(value: str) -> int:
    """The Unix time in milliseconds a UUIDv7 carries."""
    return uuid.UUID(value).int >> 80
