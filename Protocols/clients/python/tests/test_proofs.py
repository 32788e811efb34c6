"""Merkle proofs from a real ledgerd (PROVE, CONSISTENCY, CHECKPOINT) checked by the client's own verifier."""

from __future__ import annotations

import base64
import os
import subprocess
import tempfile
import unittest

import support
from support import event

import commissioning_ledger as cl

ORIGIN = "ledger.example.org/python-tests"


class ProofTests(support.DaemonTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.keys = tempfile.mkdtemp(prefix="ledgerd-py-key-")
        cls.key_file = os.path.join(cls.keys, "signing.key")
        subprocess.run(
            [support.ledgerd_binary(), "keygen", "--key-file", cls.key_file, "--name", ORIGIN],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        cls.daemon_arguments = ["--signing-key", cls.key_file]
        super().setUpClass()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        for name in os.listdir(cls.keys):
            os.unlink(os.path.join(cls.keys, name))
        os.rmdir(cls.keys)

    def test_inclusion_proofs_verify_against_the_signed_checkpoint(self) -> None:
        for i in range(21):
            self.ledger.append(self.stream(f"s{i % 3}"), event(n=i, text="é ünïcode"))
        checkpoint = self.ledger.checkpoint()
        events = self.ledger.read_all()
        self.assertEqual(checkpoint.size, len(events))

        # The note's text names the origin, the size and the root; its signature line is by the key we made.
        assert checkpoint.note is not None
        text, _, signatures = checkpoint.note.rpartition("\n\n")
        origin, size, root_b64 = text.split("\n")
        self.assertEqual((origin, int(size)), (ORIGIN, checkpoint.size))
        trusted_root = base64.b64decode(root_b64)
        self.assertEqual(trusted_root.hex(), checkpoint.root)
        with open(self.key_file + ".pub", encoding="utf-8") as pub:
            key_name, key_id, _ = pub.read().strip().split("+", 2)
        signature = signatures.strip().split(" ")
        self.assertEqual((signature[0], signature[1]), ("\u2014", key_name))
        self.assertEqual(base64.b64decode(signature[2])[:4].hex(), key_id)

        # The root recomputed from every event's stored bytes is the signed one.
        self.assertEqual(cl.merkle_root([e.leaf_hash for e in events]), trusted_root)
        self.assertEqual(self.ledger.verify()["root"], checkpoint.root)

        for e in events:
            proof = self.ledger.prove(e.position, checkpoint.size)
            self.assertEqual((proof.position, proof.index, proof.size), (e.position, e.position - 1, checkpoint.size))
            self.assertEqual(proof.leaf, e.leaf_hash.hex())
            self.assertTrue(cl.verify_inclusion(e.raw, e.position, checkpoint.size, proof.proof, trusted_root))
            self.assertTrue(cl.verify_inclusion(e, e.position, checkpoint.size, proof.proof, trusted_root))
            self.assertTrue(proof.verify(e.leaf_hash, trusted_root))
            tampered = e.raw.replace(b'"n":', b'"n":1')
            self.assertFalse(cl.verify_inclusion(tampered, e.position, checkpoint.size, proof.proof, trusted_root))

    def test_proofs_for_earlier_sizes_and_consistency(self) -> None:
        for i in range(13):
            self.ledger.append(self.stream(), event(n=i))
        leaves = [e.leaf_hash for e in self.ledger.read_all()]
        head = len(leaves)
        for size in (1, 5, 8, head):
            root = cl.merkle_root(leaves[:size])
            for position in {1, (size + 1) // 2, size}:
                proof = self.ledger.prove(position, size)
                self.assertEqual(proof.root, root.hex())
                self.assertTrue(cl.verify_inclusion(leaves[position - 1], position, size, proof.proof, root))
            for old in (0, 1, 3, 4, size):
                if old <= size:
                    consistency = self.ledger.consistency(old, size)
                    old_root = cl.merkle_root(leaves[:old])
                    self.assertTrue(consistency.verify(old_root, root), (old, size))
                    if 0 < old < size:
                        self.assertFalse(consistency.verify(cl.merkle_root(leaves[1 : old + 1]), root))
        with self.assertRaises(cl.BadRequest):
            self.ledger.prove(0)
        with self.assertRaises(cl.NotFound) as beyond:
            self.ledger.checkpoint(head + 1)
        self.assertEqual(beyond.exception.head, head)


if __name__ == "__main__":
    unittest.main()
