"""Durable consumers against a real ledgerd: acknowledgements, resuming after a reconnect and after a restart (at
least once, nothing before the durable acknowledgement again), standby takeover, filters, limits."""

from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
import threading
import time
import unittest
from typing import Dict, List

import support
from support import event

import commissioning_ledger as cl


class ConsumerTestCase(support.DaemonTestCase):
    def setUp(self) -> None:
        super().setUp()

        def probe() -> None:
            with self.ledger.consume("probe") as consumer:
                consumer.next_event(timeout=0.2)

        support.skip_unless_supported("CONSUME", "### CONSUME", probe)

    def consumer(self, name: str, **options: object) -> cl.Consumer:
        consumer = self.ledger.consume(name, **options)  # type: ignore[arg-type]
        self.addCleanup(consumer.close)
        return consumer

    def take(self, consumer: cl.Consumer, count: int, timeout: float = 10.0) -> List[cl.Event]:
        events = []
        deadline = time.monotonic() + timeout
        while len(events) < count:
            got = consumer.next_event(timeout=max(deadline - time.monotonic(), 0.0))
            if got is None:
                self.fail(f"only {len(events)} of {count} events came: {[e.position for e in events]}")
            events.append(got)
        return events

    def status_of(self, name: str) -> Dict[str, object]:
        for entry in self.ledger.status()["consumers"]:
            if entry["name"] == name:
                return entry
        self.fail(f"STATUS lists no consumer {name}")


class ConsumerTests(ConsumerTestCase):
    def test_ack_is_durable_and_a_new_connection_resumes_after_it(self) -> None:
        prefix = self.stream("orders") + "-"
        self.ledger.append(prefix + "1", [event(n=i) for i in range(4)])
        self.ledger.append(self.stream("other"), event(n=99))
        self.ledger.append(prefix + "2", [event(n=i) for i in range(4, 6)])
        name = self.stream("mailer")
        first = self.consumer(name, streams=[prefix])
        events = self.take(first, 6)
        self.assertEqual([e.data["n"] for e in events], list(range(6)))
        self.assertEqual(first.acked, 0)
        first.ack(events[2].position, wait=True)
        self.assertEqual(first.acked, events[2].position)
        entry = self.status_of(name)
        self.assertEqual((entry["acked"], entry["active"], entry["standby"]), (events[2].position, True, 0))
        self.assertEqual(first.close(), events[2].position)
        self.assertFalse(self.status_of(name)["active"])

        again = self.consumer(name, streams=[prefix])
        resumed = self.take(again, 3)
        self.assertEqual([e.position for e in resumed], [e.position for e in events[3:]])
        self.assertIsNone(again.next_event(timeout=0.2))
        self.assertTrue(again.live)
        again.ack(again.head or 0)  # the LIVE position may be acknowledged too
        again.flush()
        self.assertEqual(again.acked, again.head)
        self.assertEqual(self.status_of(name)["lag"], self.ledger.status()["head"] - again.acked)

    def test_resumes_after_a_dropped_connection_sending_its_ack_again(self) -> None:
        proxy = support.Proxy(self.daemon.socket_path)
        self.addCleanup(proxy.close)
        stream = self.stream()
        self.ledger.append(stream, [event(n=i) for i in range(6)])
        name = self.stream("worker")
        consumer = cl.Consumer(proxy.path, name, streams=[stream])
        self.addCleanup(consumer.close)
        events = self.take(consumer, 4)
        consumer.ack(events[1].position, wait=True)
        consumer.ack(events[3].position)  # maybe not durable before the cut
        proxy.cut()
        rest = self.take(consumer, 2)
        # Events up to the position this consumer acknowledged are not yielded again; the rest come once more.
        self.assertEqual([e.data["n"] for e in rest], [4, 5])
        consumer.flush()
        self.assertGreaterEqual(consumer.acked, events[3].position)
        self.assertEqual(proxy.connections, 2)

    def test_resumes_after_kill_9_at_least_once(self) -> None:
        stream = self.stream()
        self.ledger.append(stream, [event(n=i) for i in range(5)])
        # One consumer object lives through the restart; the other name is consumed again by a new object after it,
        # which knows nothing but what the server kept.
        kept, fresh = self.stream("kept"), self.stream("fresh")
        consumer = self.consumer(kept, streams=[stream])
        before = self.take(consumer, 5)
        durable = before[1].position
        consumer.ack(durable, wait=True)
        with self.ledger.consume(fresh, streams=[stream]) as other:
            self.take(other, 5)
            other.ack(durable, wait=True)

        def restart_and_append() -> None:
            self.daemon.stop(signal.SIGKILL)  # kill -9: only what was durable survives
            time.sleep(0.3)
            self.daemon.start()
            with self.daemon.ledger() as writer:
                writer.append(stream, [event(n=i) for i in range(5, 8)])

        worker = threading.Thread(target=restart_and_append)
        worker.start()
        after: List[cl.Event] = []
        while not after or after[-1].data["n"] < 7:
            after += self.take(consumer, 1, timeout=20)
        worker.join()
        positions = [e.position for e in after]
        self.assertGreater(min(positions), durable, "nothing up to the durable acknowledgement comes again")
        expected = [e.position for e in before[2:]] + list(range(before[-1].position + 1, before[-1].position + 4))
        self.assertEqual(sorted(set(positions)), expected, "every event after it comes at least once")
        self.assertEqual(positions, sorted(positions))

        self.assertEqual(self.status_of(fresh)["acked"], durable, "the acknowledgement survived the restart")
        with self.ledger.consume(fresh, streams=[stream]) as again:
            self.assertEqual([e.position for e in self.take(again, 6)], expected)

        consumer.ack(after[-1].position, wait=True)
        consumer.close()
        self.daemon.restart()
        self.assertEqual(self.status_of(kept)["acked"], after[-1].position)
        with self.ledger.consume(kept, streams=[stream]) as later:
            self.assertIsNone(later.next_event(timeout=0.3))
            self.assertTrue(later.live)

    def test_standby_takes_over_when_the_holder_goes(self) -> None:
        stream = self.stream()
        self.ledger.append(stream, [event(n=i) for i in range(4)])
        name = self.stream("single")
        holder = self.consumer(name, streams=[stream])
        events = self.take(holder, 4)
        holder.ack(events[1].position, wait=True)
        standby = self.consumer(name, streams=[stream])
        self.assertIsNone(standby.next_event(timeout=0.3))
        self.assertTrue(standby.standby)
        entry = self.status_of(name)
        self.assertEqual((entry["active"], entry["standby"]), (True, 1))
        holder.close()
        taken_over = self.take(standby, 2, timeout=5)
        self.assertFalse(standby.standby)
        self.assertEqual([e.position for e in taken_over], [e.position for e in events[2:]])
        # A standby that gives up waiting leaves without taking the name.
        waiting = self.ledger.consume(name, streams=[stream])
        self.assertIsNone(waiting.next_event(timeout=0.2))
        self.assertTrue(waiting.standby)
        self.assertEqual(waiting.close(), events[1].position, "END names the consumer's durable position")
        self.assertEqual(self.status_of(name)["standby"], 0)

    def test_filters_and_refusals(self) -> None:
        stream = self.stream()
        self.ledger.append(stream, [event("x-a", n=1), event("x-b", n=2), event("x-a", n=3)])
        self.ledger.append(self.stream("elsewhere"), event("x-a", n=4))
        consumer = self.consumer(self.stream("typed"), types=["x-a"], streams=[stream])
        self.assertEqual([e.data["n"] for e in self.take(consumer, 2)], [1, 3])
        with self.assertRaises(cl.InvalidArgument):
            consumer.ack(10**9)
        with self.assertRaises(cl.InvalidArgument):
            self.ledger.consume("two words")
        with self.assertRaises(cl.BadRequest):
            self.ledger.consume("-starts-badly").next_event(timeout=5)
        with self.assertRaises(cl.BadRequest):
            self.ledger._ok("ACK", "1")  # not consuming: its own reply


class ConsumerLimitTests(ConsumerTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.config_directory = tempfile.mkdtemp(prefix="ledgerd-py-config-")
        path = os.path.join(cls.config_directory, "config.json")
        with open(path, "w", encoding="utf-8") as config:
            json.dump({"limits": {"maxConsumers": 2}}, config)
        cls.daemon_arguments = ["--config", path]
        try:
            super().setUpClass()
        except BaseException as error:
            shutil.rmtree(cls.config_directory, ignore_errors=True)
            if "maxConsumers" in str(error) and not support.documented("limits.maxConsumers"):
                raise unittest.SkipTest("this ledgerd does not know limits.maxConsumers yet") from None
            raise

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        shutil.rmtree(cls.config_directory, ignore_errors=True)

    def setUp(self) -> None:
        support.DaemonTestCase.setUp(self)  # a daemon that took limits.maxConsumers knows CONSUME: no probe

    def test_too_many_consumer_names_is_overloaded(self) -> None:
        self.consumer("first").next_event(timeout=0.2)
        self.consumer("second").next_event(timeout=0.2)
        with self.assertRaises(cl.Overloaded) as refused:
            self.ledger.consume("third").next_event(timeout=5)
        self.assertEqual(refused.exception.limit, "limits.maxConsumers")
        with self.ledger.consume("second") as existing:
            existing.next_event(timeout=0.2)  # a known name is still served (as a standby here)


if __name__ == "__main__":
    unittest.main()
