"""Subscriptions against a real ledgerd: catch-up and live events, type and stream filters, resuming after a
restart."""

from __future__ import annotations

import threading
import time
import unittest
from typing import List

import support
from support import event

import commissioning_ledger as cl


class SubscribeTests(support.DaemonTestCase):
    def head(self) -> int:
        return int(self.ledger.status()["head"])

    def take(self, subscription: cl.Subscription, count: int, timeout: float = 10.0) -> List[cl.Event]:
        events = []
        deadline = time.monotonic() + timeout
        while len(events) < count:
            got = subscription.next_event(timeout=max(deadline - time.monotonic(), 0.0))
            if got is None:
                self.fail(f"only {len(events)} of {count} events came: {[e.position for e in events]}")
            events.append(got)
        return events

    def test_catch_up_then_live_with_a_type_filter(self) -> None:
        start = self.head() + 1
        stream = self.stream()
        self.ledger.append(stream, [event("x-a", n=1), event("x-b", n=2), event("x-a", n=3), event("x-b", n=4)])
        with self.ledger.subscribe(start=start, types=["x-b"]) as subscription:
            caught_up = self.take(subscription, 2)
            self.assertEqual([e.data["n"] for e in caught_up], [2, 4])
            self.assertIsNone(subscription.next_event(timeout=0.2))
            self.assertTrue(subscription.live)
            self.assertEqual(subscription.head, start + 3)
            self.ledger.append(stream, [event("x-a", n=5), event("x-b", n=6)])
            live = self.take(subscription, 1)
            self.assertEqual((live[0].data, live[0].position), ({"n": 6}, start + 5))
        with self.ledger.subscribe(start=start + 1) as everything:
            self.assertEqual([e.position for e in self.take(everything, 5)], list(range(start + 1, start + 6)))

    def test_stream_prefix_filter(self) -> None:
        start = self.head() + 1

        def probe() -> None:
            with self.ledger.subscribe(start=start, streams=["x"]) as subscription:
                subscription.next_event(timeout=0.3)

        support.skip_unless_supported("SUBSCRIBE stream=PREFIX", "stream=PREFIX", probe)
        orders, order_lines, other = self.stream("orders"), self.stream("orders-lines"), self.stream("payments")
        self.ledger.append(orders, [event("x-a", n=1), event("x-b", n=2)])
        self.ledger.append(other, [event("x-a", n=3), event("x-b", n=4)])
        self.ledger.append(order_lines, [event("x-a", n=5), event("x-b", n=6)])
        with self.ledger.subscribe(start=start, streams=["orders-"]) as by_stream:
            self.assertEqual([e.data["n"] for e in self.take(by_stream, 4)], [1, 2, 5, 6])
        with self.ledger.subscribe(start=start, types=["x-b"], streams=["orders-lines", "payments"]) as both:
            self.assertEqual([e.data["n"] for e in self.take(both, 2)], [4, 6])
            self.assertIsNone(both.next_event(timeout=0.2))
            self.ledger.append(orders, event("x-b", n=7))
            self.ledger.append(order_lines, [event("x-a", n=8), event("x-b", n=9)])
            self.assertEqual([e.data["n"] for e in self.take(both, 1)], [9])
        with self.assertRaises(cl.BadRequest):
            self.ledger.subscribe(streams=["bad/prefix"]).next_event(5)

    def test_a_type_no_event_can_have_is_refused(self) -> None:
        subscription = self.ledger.subscribe(types=["x-call-logged", "payment-mad"])
        with self.assertRaises(cl.BadRequest) as refused:
            subscription.next_event(timeout=5)
        self.assertEqual(refused.exception.type, "payment-mad")
        self.assertTrue(subscription.closed)

    def test_resumes_after_a_daemon_restart_without_gaps_or_repeats(self) -> None:
        stream = self.stream()
        start = self.head() + 1
        self.ledger.append(stream, [event(n=i) for i in range(3)])
        subscription = self.ledger.subscribe(start=start)
        self.addCleanup(subscription.close)
        self.assertEqual([e.data["n"] for e in self.take(subscription, 3)], [0, 1, 2])

        def restart_and_append() -> None:
            self.daemon.stop()
            time.sleep(0.3)  # the subscription retries meanwhile, with back-off
            self.daemon.start()
            with self.daemon.ledger() as writer:
                for i in range(3, 6):
                    writer.append(stream, event(n=i))

        worker = threading.Thread(target=restart_and_append)
        worker.start()
        resumed = self.take(subscription, 3, timeout=20)
        worker.join()
        self.assertEqual([e.data["n"] for e in resumed], [3, 4, 5])
        self.assertEqual([e.position for e in resumed], list(range(start + 3, start + 6)))
        self.assertEqual(subscription.next_position, start + 6)
        self.assertIsNone(subscription.next_event(timeout=0.2))

    def test_close_from_another_thread_ends_the_iteration(self) -> None:
        subscription = self.ledger.subscribe(start=self.head() + 1)
        timer = threading.Timer(0.2, subscription.close)
        timer.start()
        self.assertEqual(list(subscription), [])
        timer.join()
        self.assertTrue(subscription.closed)


if __name__ == "__main__":
    unittest.main()
