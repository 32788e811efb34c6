"""Appends against a real ledgerd: results, ids, idempotent retries, typed errors."""

from __future__ import annotations

import os
import unittest
import uuid

import support
from support import event

import commissioning_ledger as cl


class AppendTests(support.DaemonTestCase):
    def test_append_returns_positions_and_fills_uuid7_ids(self) -> None:
        stream = self.stream()
        mine = {"type": "x-note", "data": {"n": 1}, "meta": {"actor": "officer-12"}}
        first = self.ledger.append(stream, mine, expected="none")
        self.assertEqual((first.last - first.first, first.version, first.duplicate), (0, 1, False))
        self.assertNotIn("id", mine, "the caller's dict is left as it was")
        batch = self.ledger.append(stream, [event(n=2), event("x-other", n=3)], expected=1)
        self.assertEqual((batch.last - batch.first, batch.version), (1, 3))
        self.assertEqual(len(batch.ids), 2)
        self.assertTrue(all(uuid.UUID(i).version == 7 for i in first.ids + batch.ids))
        self.assertLess(first.ids[0], batch.ids[0])
        events = self.ledger.read(stream)
        self.assertEqual([e.id for e in events], list(first.ids + batch.ids))
        self.assertEqual([e.version for e in events], [1, 2, 3])
        self.assertEqual(events[0].meta, {"actor": "officer-12"})
        self.assertEqual(events[2].data, {"n": 3})
        self.assertEqual(self.ledger.append(stream, event(), expected="exists").version, 4)

    def test_identical_retry_is_answered_duplicate(self) -> None:
        stream = self.stream()
        events = [cl.new_event("x-note", {"n": i}) for i in range(3)]
        stored = self.ledger.append(stream, events, expected="none")
        again = self.ledger.append(stream, events, expected="none")
        self.assertTrue(again.duplicate)
        self.assertEqual((again.first, again.last, again.version), (stored.first, stored.last, stored.version))
        self.assertEqual(len(self.ledger.read(stream)), 3)

    def test_retry_after_a_lost_reply_is_answered_duplicate(self) -> None:
        # A proxy forwards the first APPEND to the daemon but drops the connection instead of passing on its reply:
        # the client reconnects and sends the same line (the same ids), which the daemon answers as a duplicate.
        proxy = support.Proxy(self.daemon.socket_path, drop_replies=1)
        self.addCleanup(proxy.close)
        stream = self.stream()
        with cl.Ledger(proxy.path) as ledger:
            result = ledger.append(stream, [event(n=1), event(n=2)], expected="none")
        self.assertTrue(result.duplicate, "the retry found the events stored by the first attempt")
        self.assertEqual(proxy.connections, 2)
        events = self.ledger.read(stream)
        self.assertEqual([e.id for e in events], list(result.ids))
        self.assertEqual((result.first, result.last), (events[0].position, events[1].position))

    def test_retry_after_a_daemon_restart_reconnects_and_is_duplicate(self) -> None:
        stream = self.stream()
        events = [cl.new_event("x-note", {"n": 1})]
        stored = self.ledger.append(stream, events)
        self.daemon.restart()
        again = self.ledger.append(stream, events)
        self.assertTrue(again.duplicate)
        self.assertEqual(again.first, stored.first)
        # While the daemon is down the request waits, reconnecting with back-off, and goes through once it is back.
        restarting = self.daemon.restart_later(0.4)
        later = self.ledger.append(stream, event())
        restarting.join()
        self.assertEqual((later.version, later.duplicate), (2, False))
        with self.daemon.ledger(reconnect=False) as fragile:
            self.daemon.restart()
            with self.assertRaises((cl.ConnectionClosed, cl.ShuttingDown)):
                fragile.ping()

    def test_typed_errors(self) -> None:
        stream = self.stream()
        self.ledger.append(stream, [event(), event(), event()])
        with self.assertRaises(cl.WrongExpectedVersion) as caught:
            self.ledger.append(stream, event(), expected=1)
        error = caught.exception
        self.assertEqual((error.actual, error.expected, error.stream), (3, 1, stream))
        self.assertEqual(error.code, "WRONG_EXPECTED_VERSION")
        self.assertEqual(error.fields["actual"], 3)
        self.assertIn("expected 1", error.message)
        with self.assertRaises(cl.WrongExpectedVersion):
            self.ledger.append(stream, event(), expected="none")

        taken = self.ledger.read(stream)[2]
        with self.assertRaises(cl.DuplicateId) as duplicate:
            self.ledger.append(stream, {"id": taken.id, "type": "x-note", "data": {"other": True}})
        self.assertEqual((duplicate.exception.id, duplicate.exception.position), (taken.id, taken.position))

        with self.assertRaises(cl.InvalidEvent) as invalid:
            self.ledger.append(stream, [event(), {"id": "not-a-uuid", "type": "x-note", "data": {}}])
        self.assertEqual((invalid.exception.field, invalid.exception.index), ("id", 1))
        with self.assertRaises(cl.InvalidEvent) as catalogue:
            self.ledger.append("provider-P9", {"type": "provider-registered", "data": {"scale": "tiny"}})
        self.assertEqual(catalogue.exception.index, 0)

        with self.assertRaises(cl.BadRequest):
            self.ledger.append("case/42", event())
        with self.assertRaises(cl.NotFound) as beyond:
            self.ledger.prove(10_000)
        self.assertEqual(beyond.exception.requested, 10_000)
        with self.assertRaises(cl.UnknownCommand):
            self.ledger._ok("FROB")
        self.assertEqual(len(self.ledger.read(stream)), 3, "nothing was written by a refused request")
        self.ledger.ping()  # errors leave the connection usable

    def test_arguments_that_cannot_be_sent(self) -> None:
        for call in [
            lambda: self.ledger.append("a b", event()),
            lambda: self.ledger.append("s", event(), expected="maybe"),
            lambda: self.ledger.append("s", event(), expected=-1),
            lambda: self.ledger.append("s", []),
            lambda: self.ledger.read("s", limit=0),
        ]:
            with self.assertRaises(cl.InvalidArgument):
                call()
        with self.assertRaises(cl.CannotConnect):
            cl.Ledger(os.path.join(self.daemon.directory, "nothing.sock"))

    def test_status_and_hello(self) -> None:
        self.ledger.append(self.stream(), event())
        status = self.ledger.status()
        self.assertGreaterEqual(status["head"], 1)
        self.assertEqual(len(status["root"]), 64)
        hello = self.ledger.hello()
        self.assertEqual((hello["protocol"], hello["role"]), (1, "ops"))


if __name__ == "__main__":
    unittest.main()
