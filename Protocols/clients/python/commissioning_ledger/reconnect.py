"""How connections are made again after they drop."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Union


@dataclass(frozen=True)
class ReconnectPolicy:
    """Attempts spaced from ``initial_delay`` seconds, doubling up to ``maximum_delay``; after ``give_up_after``
    seconds without getting back in, the last error is raised (``None``: keep trying for ever).

    The default, 50 ms doubling to 2 s and giving up after 60 s, is the Swift client's.
    """

    initial_delay: float = 0.05
    maximum_delay: float = 2.0
    give_up_after: Optional[float] = 60.0

    def delay(self, attempt: int) -> float:
        """The wait before attempt ``attempt`` (1, 2, ...)."""
        delay = self.initial_delay
        for _ in range(1, max(attempt, 1)):
            delay *= 2
            if delay >= self.maximum_delay:
                return self.maximum_delay
        return min(delay, self.maximum_delay)


def policy_from(reconnect: Union[bool, ReconnectPolicy, None]) -> Optional[ReconnectPolicy]:
    """``True``: the default policy; ``False`` or ``None``: never reconnect; a policy: itself."""
    if isinstance(reconnect, ReconnectPolicy):
        return reconnect
    return ReconnectPolicy() if reconnect else None
