"""The client over mutual TLS (``tls://HOST:PORT``), with certificates made by the openssl command."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import unittest
from typing import List

import support
from support import event

import commissioning_ledger as cl


def openssl(*arguments: str, directory: str) -> None:
    subprocess.run(["openssl", *arguments], cwd=directory, check=True, capture_output=True)


def issue(directory: str, name: str, subject: str, extensions: List[str]) -> None:
    """A P-256 key ``name.key`` and a certificate ``name.pem`` signed by ``ca``."""
    with open(os.path.join(directory, name + ".ext"), "w", encoding="utf-8") as file:
        file.write("\n".join(extensions + ["subjectKeyIdentifier=hash", "authorityKeyIdentifier=keyid"]) + "\n")
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", name + ".ec", directory=directory)
    openssl("pkcs8", "-topk8", "-nocrypt", "-in", name + ".ec", "-out", name + ".key", directory=directory)
    openssl("req", "-new", "-key", name + ".key", "-subj", subject, "-out", name + ".csr", directory=directory)
    openssl(
        "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-days", "2", "-sha256", "-extfile", name + ".ext", "-out", name + ".pem", directory=directory,
    )  # fmt: skip


class TLSTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        if shutil.which("openssl") is None:
            raise unittest.SkipTest("no openssl command to make test certificates")
        cls.certificates = tempfile.mkdtemp(prefix="ledger-py-tls-")
        directory = cls.certificates
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca.ec", directory=directory)
        openssl("pkcs8", "-topk8", "-nocrypt", "-in", "ca.ec", "-out", "ca.key", directory=directory)
        openssl(
            "req", "-x509", "-new", "-key", "ca.key", "-subj", "/CN=Python Test CA", "-days", "2", "-sha256",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            "-out", "ca.pem", directory=directory,
        )  # fmt: skip
        leaf = ["basicConstraints=critical,CA:FALSE", "keyUsage=critical,digitalSignature"]
        issue(directory, "server", "/CN=ledgerd", leaf + ["extendedKeyUsage=serverAuth",
              "subjectAltName=DNS:localhost,IP:127.0.0.1"])  # fmt: skip
        issue(directory, "client", "/O=Test Council/CN=py-client", leaf + ["extendedKeyUsage=clientAuth"])
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            cls.port = probe.getsockname()[1]
        path = lambda name: os.path.join(directory, name)  # noqa: E731
        configuration = {
            "tls": {
                "listen": f"127.0.0.1:{cls.port}",
                "certificateFile": path("server.pem"),
                "keyFile": path("server.key"),
                "clientCAFile": path("ca.pem"),
                "roles": {"subjects": {"CN=py-client,O=Test Council": "writer"}},
            }
        }
        with open(path("config.json"), "w", encoding="utf-8") as file:
            json.dump(configuration, file)
        cls.files = cl.TLSFiles(path("client.pem"), path("client.key"), path("ca.pem"))
        cls.daemon = support.Daemon(["--config", path("config.json")])
        try:
            cls.daemon.start()
        except BaseException:
            cls.daemon.cleanup()
            shutil.rmtree(directory, ignore_errors=True)
            raise

    @classmethod
    def tearDownClass(cls) -> None:
        cls.daemon.cleanup()
        shutil.rmtree(cls.certificates, ignore_errors=True)

    def test_requests_and_subscriptions_over_mutual_tls(self) -> None:
        for host in ("127.0.0.1", "localhost"):
            with cl.Ledger(f"tls://{host}:{self.port}", tls=self.files) as ledger:
                self.assertEqual(ledger.hello()["role"], "writer")
                result = ledger.append(f"tls-{host}", [event(n=1), event(n=2)])
                self.assertEqual([e.data["n"] for e in ledger.read(f"tls-{host}")], [1, 2])
                with ledger.subscribe(start=result.first) as subscription:
                    got = subscription.next_event(timeout=10)
                    assert got is not None
                    self.assertEqual(got.position, result.first)
                with self.assertRaises(cl.Forbidden):
                    ledger.verify()

    def test_a_server_the_ca_does_not_vouch_for_is_refused(self) -> None:
        other = cl.TLSFiles(self.files.certificate_file, self.files.key_file, self.files.certificate_file)
        with self.assertRaises(cl.CannotConnect):
            cl.Ledger(f"tls://127.0.0.1:{self.port}", tls=other)
        with self.assertRaises(cl.CannotConnect):
            cl.Ledger(f"tls://127.0.0.1:{self.port}")


if __name__ == "__main__":
    unittest.main()
