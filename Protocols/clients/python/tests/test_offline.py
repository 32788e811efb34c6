"""Tests that need no daemon: UUIDv7 ids, Merkle proofs on Protocols/proofs.md's worked example, errors, the wire."""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
import tempfile
import time
import unittest
import uuid

import support  # noqa: F401  (puts the client on sys.path)

import commissioning_ledger as cl
from commissioning_ledger import proofs, wire
from commissioning_ledger.uuid7 import timestamp_ms

# The RFC 6962 test inputs of the worked example in Protocols/proofs.md: the leaves of an eight-event log.
LEAVES = [bytes.fromhex(h) for h in ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                     "606162636465666768696a6b6c6d6e6f"]]  # fmt: skip
ROOT_6 = "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef"
ROOT_8 = "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
PROVE_6_8 = json.loads(
    '{"index":5,"leaf":"4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658","position":6,'
    '"proof":["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",'
    '"ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",'
    '"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"],'
    '"root":"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328","size":8}'
)
CONSISTENCY_6_8 = [
    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
]


class UUID7Tests(unittest.TestCase):
    def test_ids_are_version_7_variant_rfc_and_strictly_increasing(self) -> None:
        before = time.time_ns() // 1_000_000
        ids = [cl.uuid7() for _ in range(20_000)]  # many per millisecond: the counter must carry
        after = time.time_ns() // 1_000_000
        for value in ids[:100]:
            parsed = uuid.UUID(value)
            self.assertEqual(parsed.version, 7)
            self.assertEqual(parsed.variant, uuid.RFC_4122)
            self.assertEqual(value, value.lower())
            self.assertRegex(value, r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        self.assertEqual(ids, sorted(ids))
        self.assertEqual(len(set(ids)), len(ids))
        self.assertGreaterEqual(timestamp_ms(ids[0]), before)
        # Carrying into the next millisecond may run ahead of the clock by a little, never by much.
        self.assertLessEqual(timestamp_ms(ids[-1]), after + 50)

    def test_new_event_fixes_its_id_now(self) -> None:
        made = cl.new_event("x-note", {"a": 1}, meta={"actor": "me"})
        self.assertEqual(uuid.UUID(made["id"]).version, 7)
        self.assertEqual(made, {"id": made["id"], "type": "x-note", "data": {"a": 1}, "meta": {"actor": "me"}})


class ProofTests(unittest.TestCase):
    def test_root_of_the_worked_example(self) -> None:
        hashes = [cl.leaf_hash(leaf) for leaf in LEAVES]
        self.assertEqual(cl.merkle_root(hashes).hex(), ROOT_8)
        self.assertEqual(cl.merkle_root(hashes[:6]).hex(), ROOT_6)
        self.assertEqual(cl.merkle_root([]), hashlib.sha256(b"").digest())
        self.assertEqual(cl.merkle_root(hashes[:1]), hashes[0])

    def test_merkle_root_splits_at_the_largest_power_of_two(self) -> None:
        def reference(items: list) -> bytes:
            if len(items) == 1:
                return items[0]
            k = 1
            while k * 2 < len(items):
                k *= 2
            return cl.node_hash(reference(items[:k]), reference(items[k:]))

        hashes = [cl.leaf_hash(str(i).encode()) for i in range(70)]
        for n in range(1, 71):
            self.assertEqual(cl.merkle_root(hashes[:n]), reference(hashes[:n]), n)

    def test_inclusion_of_the_spec_transcript(self) -> None:
        leaf = cl.leaf_hash(LEAVES[5])
        self.assertEqual(leaf.hex(), PROVE_6_8["leaf"])
        args = (6, 8, PROVE_6_8["proof"], ROOT_8)
        self.assertTrue(cl.verify_inclusion(LEAVES[5], *args))  # event bytes
        self.assertTrue(cl.verify_inclusion(leaf, *args))  # leaf hash, bytes
        self.assertTrue(cl.verify_inclusion(leaf.hex(), *args))  # leaf hash, hex
        proof = proofs.inclusion_proof_from(PROVE_6_8)
        self.assertTrue(proof.verify(LEAVES[5], bytes.fromhex(ROOT_8)))
        # Anything changed fails.
        self.assertFalse(cl.verify_inclusion(LEAVES[4], *args))
        self.assertFalse(cl.verify_inclusion(LEAVES[5], 5, 8, PROVE_6_8["proof"], ROOT_8))
        self.assertFalse(cl.verify_inclusion(LEAVES[5], 6, 16, PROVE_6_8["proof"], ROOT_8))
        self.assertFalse(cl.verify_inclusion(LEAVES[5], 6, 5, PROVE_6_8["proof"], ROOT_8))
        self.assertFalse(cl.verify_inclusion(LEAVES[5], 6, 8, PROVE_6_8["proof"][:2], ROOT_8))
        self.assertFalse(cl.verify_inclusion(LEAVES[5], 6, 8, PROVE_6_8["proof"] + [ROOT_8], ROOT_8))
        self.assertFalse(cl.verify_inclusion(LEAVES[5], 6, 8, PROVE_6_8["proof"], ROOT_6))
        self.assertFalse(cl.verify_inclusion(LEAVES[5], 9, 8, PROVE_6_8["proof"], ROOT_8))
        self.assertFalse(cl.verify_inclusion(LEAVES[5], 0, 8, PROVE_6_8["proof"], ROOT_8))
        with self.assertRaises(ValueError):
            cl.verify_inclusion(LEAVES[5], 6, 8, ["zz"], ROOT_8)

    def test_inclusion_of_every_leaf_in_every_size(self) -> None:
        hashes = [cl.leaf_hash(bytes([i]) * 40) for i in range(33)]

        def path(index: int, items: list) -> list:  # RFC 9162 PATH(m, D[n])
            if len(items) == 1:
                return []
            k = 1
            while k * 2 < len(items):
                k *= 2
            if index < k:
                return path(index, items[:k]) + [cl.merkle_root(items[k:])]
            return path(index - k, items[k:]) + [cl.merkle_root(items[:k])]

        for size in range(1, 34):
            root = cl.merkle_root(hashes[:size])
            for index in range(size):
                proof = path(index, hashes[:size])
                self.assertTrue(cl.verify_inclusion(hashes[index], index + 1, size, proof, root), (index, size))

    def test_consistency_of_the_spec_transcript(self) -> None:
        self.assertTrue(cl.verify_consistency(6, 8, ROOT_6, ROOT_8, CONSISTENCY_6_8))
        self.assertFalse(cl.verify_consistency(6, 8, ROOT_8, ROOT_8, CONSISTENCY_6_8))
        self.assertFalse(cl.verify_consistency(6, 8, ROOT_6, ROOT_6, CONSISTENCY_6_8))
        self.assertFalse(cl.verify_consistency(6, 8, ROOT_6, ROOT_8, CONSISTENCY_6_8[:2]))
        self.assertFalse(cl.verify_consistency(6, 8, ROOT_6, ROOT_8, []))
        self.assertTrue(cl.verify_consistency(8, 8, ROOT_8, ROOT_8, []))
        self.assertTrue(cl.verify_consistency(0, 8, cl.EMPTY_ROOT, ROOT_8, []))
        self.assertFalse(cl.verify_consistency(8, 6, ROOT_8, ROOT_6, CONSISTENCY_6_8))


class ErrorTests(unittest.TestCase):
    def test_every_wire_code_has_its_class(self) -> None:
        source = support.REPO_ROOT / "Sources" / "LedgerProtocol" / "ErrorCode.swift"
        codes = set(re.findall(r'case `?\w+`? = "([A-Z_]+)"', source.read_text(encoding="utf-8")))
        self.assertEqual(set(cl.ERRORS_BY_CODE), codes)
        for code, cls in cl.ERRORS_BY_CODE.items():
            error = wire.Reply.parse(f'ERR {code} {{"message":"m"}}'.encode()).error()
            self.assertIs(type(error), cls)
            self.assertIsInstance(error, cl.LedgerError)
            self.assertEqual((error.code, error.message), (code, "m"))
        closing = {code for code, cls in cl.ERRORS_BY_CODE.items() if cls.CLOSES_CONNECTION}
        self.assertEqual(closing, {"LINE_TOO_LONG", "OVERLOADED", "SHUTTING_DOWN"})

    def test_fields_become_attributes(self) -> None:
        line = (
            b'ERR WRONG_EXPECTED_VERSION {"actual":3,"expected":1,"message":"stream notes-42 is at version 3, '
            b'expected 1","stream":"notes-42"}'
        )
        error = wire.Reply.parse(line).error()
        self.assertIsInstance(error, cl.WrongExpectedVersion)
        self.assertEqual((error.actual, error.expected, error.stream), (3, 1, "notes-42"))
        self.assertEqual(str(error), "WRONG_EXPECTED_VERSION: stream notes-42 is at version 3, expected 1")
        unknown = wire.Reply.parse(b'ERR NEW_CODE {"message":"later"}').error()
        self.assertEqual((type(unknown), unknown.code), (cl.ServerError, "NEW_CODE"))


class WireTests(unittest.TestCase):
    def test_words_that_would_change_the_line_are_refused(self) -> None:
        for bad in ["", "a b", "a\nb", "{x", "[x", "tab\t", -1, 2**63, True]:
            with self.assertRaises(cl.InvalidArgument, msg=repr(bad)):
                wire.word(bad)  # type: ignore[arg-type]
        self.assertEqual(wire.word(0), "0")
        line = wire.request_line("APPEND", "s", "any", payload={"a": "é"})
        self.assertEqual(line, 'APPEND s any {"a":"é"}\n'.encode())
        with self.assertRaises(cl.InvalidArgument):
            wire.request_line("APPEND", "s", "any", payload={"a": float("nan")})

    def test_event_keeps_its_bytes(self) -> None:
        raw = (
            b'{"position":2,"stream":"notes-42","version":2,"id":"0190f3a0-7c1e-7d2a-9b3c-1a2b3c4d5e02",'
            b'"type":"x-visit-logged","recorded":"2026-11-22T20:55:00.123456Z","data":{"amount":1.50},"meta":{}}'
        )
        event = cl.Event.from_bytes(raw)
        self.assertEqual((event.position, event.stream, event.version), (2, "notes-42", 2))
        self.assertEqual((event.type, event.data), ("x-visit-logged", {"amount": 1.5}))
        self.assertEqual(event.raw, raw)
        self.assertEqual(event.leaf_hash, hashlib.sha256(b"\x00" + raw).digest())
        with self.assertRaises(cl.ProtocolViolation):
            cl.Event.from_bytes(b'{"position":"2"}')


class SilentServerTests(unittest.TestCase):
    def test_a_reply_that_does_not_come_in_time_drops_the_connection(self) -> None:
        directory = tempfile.mkdtemp(prefix="ledger-py-silent-")
        path = os.path.join(directory, "silent.sock")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(path)
        listener.listen(4)
        self.addCleanup(os.rmdir, directory)
        self.addCleanup(os.unlink, path)
        self.addCleanup(listener.close)
        with cl.Ledger(path, timeout=0.2) as ledger:
            started = time.monotonic()
            with self.assertRaises(cl.RequestTimeout):
                ledger.ping()
            self.assertLess(time.monotonic() - started, 2)
            with self.assertRaises(TimeoutError):  # a new connection, not the old one's late reply
                ledger.status()
        accepted = []
        listener.settimeout(1)
        for _ in range(2):
            connection, _ = listener.accept()
            accepted.append(connection.recv(100))
            connection.close()
        self.assertEqual(accepted, [b"PING\n", b"STATUS\n"])


if __name__ == "__main__":
    unittest.main()
