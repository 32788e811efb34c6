"""Reads against a real ledgerd: READ forwards and backwards, paging, STREAM, READALL, QUERY."""

from __future__ import annotations

import unittest

import support
from support import event

import commissioning_ledger as cl


class ReadTests(support.DaemonTestCase):
    def setUp(self) -> None:
        super().setUp()
        # 25 events of stream a, with an event of stream b after every fifth, so positions and versions differ.
        self.a, self.b = self.stream("a"), self.stream("b")
        for batch in range(5):
            self.ledger.append(self.a, [event(n=batch * 5 + i + 1) for i in range(5)])
            self.ledger.append(self.b, event(n=batch))

    def test_read_forwards_with_start_and_limit(self) -> None:
        everything = self.ledger.read(self.a)
        self.assertEqual([e.version for e in everything], list(range(1, 26)))
        self.assertEqual([e.data["n"] for e in everything], list(range(1, 26)))
        self.assertEqual(everything.next, 26)
        self.assertTrue(all(e.stream == self.a for e in everything))
        positions = [e.position for e in everything]
        self.assertEqual(positions, sorted(positions))
        self.assertEqual(positions[5] - positions[4], 2, "stream b's event sits between")
        middle = self.ledger.read(self.a, start=10, limit=3)
        self.assertEqual(([e.version for e in middle], middle.next), ([10, 11, 12], 13))
        self.assertEqual(self.ledger.read(self.a, start=26), [])
        self.assertEqual(self.ledger.read("nobody").next, 1)

    def test_read_backwards(self) -> None:
        last = self.ledger.read(self.a, limit=1, backwards=True)
        self.assertEqual(([e.version for e in last], last.next), ([25], 24))
        everything = self.ledger.read(self.a, backwards=True)
        self.assertEqual(([e.version for e in everything], everything.next), (list(range(25, 0, -1)), 0))
        middle = self.ledger.read(self.a, start=12, limit=3, backwards=True)
        self.assertEqual(([e.version for e in middle], middle.next), ([12, 11, 10], 9))
        self.assertEqual([e.version for e in self.ledger.read(self.a, start=999, limit=1, backwards=True)], [25])
        self.assertEqual(self.ledger.read("nobody", backwards=True), [])

    def test_reads_page_through_end_next(self) -> None:
        with self.daemon.ledger(page_size=7) as small:
            forwards = small.read(self.a)
            backwards = small.read(self.a, backwards=True)
            log = small.read_all()
            from_10 = small.read(self.a, start=10)
            streamed = list(small.iter_all(start=3))
        self.assertEqual([e.version for e in forwards], list(range(1, 26)))
        self.assertEqual([e.version for e in backwards], list(range(25, 0, -1)))
        self.assertEqual(backwards.next, 0)
        self.assertEqual([e.version for e in from_10], list(range(10, 26)))
        whole = self.ledger.read_all()
        self.assertEqual([e.raw for e in log], [e.raw for e in whole])
        self.assertEqual([e.position for e in whole], list(range(1, len(whole) + 1)))
        self.assertEqual([e.raw for e in streamed], [e.raw for e in whole[2:]])
        self.assertEqual(forwards, self.ledger.read(self.a))

    def test_read_all_with_start_and_limit(self) -> None:
        head = self.ledger.status()["head"]
        page = self.ledger.read_all(start=2, limit=4)
        self.assertEqual(([e.position for e in page], page.next), ([2, 3, 4, 5], 6))
        self.assertEqual(self.ledger.read_all(start=head + 1), [])
        tail = self.ledger.read_all(start=head)
        self.assertEqual(([e.position for e in tail], tail.next), ([head], head + 1))

    def test_stream_info(self) -> None:
        positions = [e.position for e in self.ledger.read(self.a)]
        self.assertEqual(self.ledger.stream_info(self.a), cl.StreamInfo(self.a, 25, positions[0], positions[-1]))
        self.assertEqual(self.ledger.stream_info(self.b).version, 5)
        self.assertEqual(self.ledger.stream_info("nobody"), cl.StreamInfo("nobody", 0, None, None))
        with self.assertRaises(cl.BadRequest):
            self.ledger.stream_info("case/1")


class QueryTests(support.DaemonTestCase):
    def test_query_waits_for_its_position_and_answers_rows(self) -> None:
        self.ledger.append(
            "provider-P1",
            {
                "type": "provider-registered",
                "data": {"name": "Riverside Home Care Ltd", "scale": "small", "voluntary": False,
                         "regulator": "cqc", "rating": "good"},
            },  # fmt: skip
            expected="none",
        )
        changed = self.ledger.append(
            "provider-P1",
            {
                "type": "provider-rating-changed",
                "data": {"regulator": "cqc", "rating": "outstanding", "effective": "2026-09-14"},
            },
        )
        answer = self.ledger.query("quality", "provider", "P1", after=changed.last)
        self.assertEqual(answer.position, changed.last)
        self.assertEqual(answer.count, 2)
        self.assertEqual([row["rating"] for row in answer.rows], ["good", "outstanding"])
        self.assertEqual(answer.summary["rating"], "outstanding")
        self.assertEqual(self.ledger.query("quality provider P1", after=changed.last).rows, answer.rows)
        paged = self.ledger.query("payments", "provider", "P1", limit=100)
        self.assertEqual((paged.rows, paged.next), ([], None))
        with self.assertRaises(cl.NotFound):
            self.ledger.query("quality", "provider", "P7")
        with self.assertRaises(cl.BadRequest):
            self.ledger.query("quality", "provider", "P1", after=changed.last + 100)
        with self.assertRaises(cl.InvalidArgument):
            self.ledger.query("AFTER", "1", "quality", "provider", "P1")


if __name__ == "__main__":
    unittest.main()
