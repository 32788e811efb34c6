"""Merkle tree hashing and proof verification, RFC 9162 section 2.1 (RFC 6962's tree), with ``hashlib`` only.

This is ``Protocols/proofs.md``, "Verifying, step by step", for an auditor who trusts nothing the daemon says: hash
each event's stored bytes yourself (``leaf_hash``), and check ``PROVE`` / ``CONSISTENCY`` answers against roots
from checkpoints you verified, never against the roots in the replies.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, List, Optional, Sequence, Union

from .errors import ProtocolViolation
from .events import Event

#: The root of the empty tree, ``SHA-256("")``.
EMPTY_ROOT = hashlib.sha256(b"").digest()

HashLike = Union[bytes, bytearray, memoryview, str]


def leaf_hash(event_bytes: Union[bytes, bytearray, memoryview]) -> bytes:
    """``SHA-256(0x00 || bytes)``: the leaf hash of an event's stored bytes."""
    return hashlib.sha256(b"\x00" + bytes(event_bytes)).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """``SHA-256(0x01 || left || right)``: an interior node."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def merkle_root(leaf_hashes: Sequence[bytes]) -> bytes:
    """``MTH``: the root of a tree of these leaf hashes (RFC 9162 section 2.1.1), e.g. of a whole ``READALL``."""
    if not leaf_hashes:
        return EMPTY_ROOT
    # Fold complete subtrees left to right: stack[i] is the root of a subtree of 2**heights[i] leaves; then join
    # them right to left, which splits each range at its largest power of two as MTH does.
    stack: List[bytes] = []
    heights: List[int] = []
    for leaf in leaf_hashes:
        node, height = as_hash(leaf), 0
        while heights and heights[-1] == height:
            node = node_hash(stack.pop(), node)
            heights.pop()
            height += 1
        stack.append(node)
        heights.append(height)
    node = stack.pop()
    while stack:
        node = node_hash(stack.pop(), node)
    return node


def as_hash(value: HashLike) -> bytes:
    """A 32-byte hash from bytes or 64 hexadecimal digits.

    Raises:
        ValueError: it is neither.
    """
    if isinstance(value, str):
        try:
            value = bytes.fromhex(value)
        except ValueError:
            raise ValueError(f"not a hexadecimal hash: {value[:80]!r}") from None
    value = bytes(value)
    if len(value) != 32:
        raise ValueError(f"a hash has 32 bytes, got {len(value)}")
    return value


def _leaf(event: Union[Event, HashLike]) -> bytes:
    """The leaf hash of an ``Event``, of event bytes, or a leaf hash given as 32 bytes or 64 hex digits.

    Stored events are never 32 bytes long (each has a 36-character id), so 32 bytes are taken as a leaf hash.
    """
    if isinstance(event, Event):
        return event.leaf_hash
    if isinstance(event, str):
        if len(event) == 64:
            try:
                return bytes.fromhex(event)
            except ValueError:
                pass
        return leaf_hash(event.encode("utf-8"))
    data = bytes(event)
    return data if len(data) == 32 else leaf_hash(data)


def verify_inclusion(
    event: Union[Event, HashLike],
    position: int,
    size: int,
    proof: Sequence[HashLike],
    root: HashLike,
) -> bool:
    """Whether ``proof`` shows the event at ``position`` is in the tree of ``size`` events with ``root``.

    RFC 9162 section 2.1.3.2, as ``Protocols/proofs.md`` step 2 spells it out.

    Args:
        event: the event's stored bytes (``Event.raw``), an ``Event``, or its leaf hash (32 bytes or 64 hex digits).
        position: the event's log position (its leaf index is ``position - 1``).
        size: the tree size, from a verified checkpoint.
        proof: the sibling hashes from the leaf up (``PROVE``'s ``proof``), bytes or hex.
        root: the tree's root, from a verified checkpoint (bytes or hex).

    Raises:
        ValueError: a hash that is not 32 bytes or 64 hex digits.
    """
    hashes = [as_hash(p) for p in proof]
    expected = as_hash(root)
    index = position - 1
    if index < 0 or index >= size:
        return False
    fn, sn, r = index, size - 1, _leaf(event)
    for p in hashes:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while fn & 1 == 0 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == expected


def verify_consistency(
    old_size: int,
    new_size: int,
    old_root: HashLike,
    new_root: HashLike,
    proof: Sequence[HashLike],
) -> bool:
    """Whether ``proof`` shows the tree of ``old_size`` events is a prefix of the tree of ``new_size`` events.

    RFC 9162 section 2.1.4.2, as ``Protocols/proofs.md`` step 3 spells it out; both roots come from verified
    checkpoints.

    Raises:
        ValueError: a hash that is not 32 bytes or 64 hex digits.
    """
    hashes = [as_hash(p) for p in proof]
    first, second = as_hash(old_root), as_hash(new_root)
    if old_size < 0 or new_size < old_size:
        return False
    if old_size == new_size:
        return not hashes and first == second
    if old_size == 0:
        return not hashes and first == EMPTY_ROOT
    if not hashes:
        return False
    if old_size & (old_size - 1) == 0:
        hashes.insert(0, first)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = hashes[0]
    for c in hashes[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while fn & 1 == 0 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first and sr == second


@dataclass(frozen=True)
class InclusionProof:
    """``PROVE``'s answer, unverified: ``leaf`` and ``root`` are what the daemon says (hex)."""

    position: int
    index: int
    size: int
    leaf: str
    root: str
    proof: List[str]

    def verify(self, event: Union[Event, HashLike], root: HashLike) -> bool:
        """Whether the proof includes ``event`` (bytes, ``Event`` or leaf hash) in the tree with ``root``.

        Pass a root from a verified checkpoint: checking against ``self.root`` proves only that the reply agrees
        with itself.
        """
        return verify_inclusion(event, self.position, self.size, self.proof, root)


@dataclass(frozen=True)
class ConsistencyProof:
    """``CONSISTENCY``'s answer, unverified (roots in hex)."""

    old: int
    new: int
    old_root: str
    new_root: str
    proof: List[str]

    def verify(self, old_root: HashLike, new_root: HashLike) -> bool:
        """Whether the proof links the two roots (from two verified checkpoints)."""
        return verify_consistency(self.old, self.new, old_root, new_root, self.proof)


@dataclass(frozen=True)
class Checkpoint:
    """``CHECKPOINT``'s answer, unverified: a tree size, its root (hex) and the C2SP signed note (``None`` when the
    daemon has no signing key). Verify the note's Ed25519 signature with the log's verifier key before trusting it.
    """

    size: int
    root: str
    note: Optional[str]


def _require(obj: Any, name: str, kind: type, verb: str) -> Any:
    value = obj.get(name) if isinstance(obj, dict) else None
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ProtocolViolation(f"{verb} was answered without a {kind.__name__} {name!r}")
    return value


def inclusion_proof_from(obj: Any) -> InclusionProof:
    """Decodes ``PROVE``'s JSON."""
    return InclusionProof(
        position=_require(obj, "position", int, "PROVE"),
        index=_require(obj, "index", int, "PROVE"),
        size=_require(obj, "size", int, "PROVE"),
        leaf=_require(obj, "leaf", str, "PROVE"),
        root=_require(obj, "root", str, "PROVE"),
        proof=list(_require(obj, "proof", list, "PROVE")),
    )


def consistency_proof_from(obj: Any) -> ConsistencyProof:
    """Decodes ``CONSISTENCY``'s JSON."""
    return ConsistencyProof(
        old=_require(obj, "old", int, "CONSISTENCY"),
        new=_require(obj, "new", int, "CONSISTENCY"),
        old_root=_require(obj, "oldRoot", str, "CONSISTENCY"),
        new_root=_require(obj, "newRoot", str, "CONSISTENCY"),
        proof=list(_require(obj, "proof", list, "CONSISTENCY")),
    )


def checkpoint_from(obj: Any) -> Checkpoint:
    """Decodes ``CHECKPOINT``'s JSON."""
    note = obj.get("note") if isinstance(obj, dict) else None
    if note is not None and not isinstance(note, str):
        raise ProtocolViolation("CHECKPOINT was answered without a string or null 'note'")
    return Checkpoint(
        size=_require(obj, "size", int, "CHECKPOINT"), root=_require(obj, "root", str, "CHECKPOINT"), note=note
    )
