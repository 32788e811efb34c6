"""Test support: a real ``ledgerd`` on a temporary data directory and socket, and the client on ``sys.path``.

The binary is ``$LEDGERD`` (``swift test`` sets it), else ``.build/debug/ledgerd`` at the repository root.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from pathlib import Path
from typing import Callable, List, Optional, Sequence

CLIENT_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = CLIENT_DIR.parent.parent.parent
if str(CLIENT_DIR) not in sys.path:
    sys.path.insert(0, str(CLIENT_DIR))

import commissioning_ledger as cl  # noqa: E402


def ledgerd_binary() -> str:
    """The ``ledgerd`` to test against; skips the test when there is none."""
    given = os.environ.get("LEDGERD")
    path = given or str(REPO_ROOT / ".build" / "debug" / "ledgerd")
    if not os.access(path, os.X_OK):
        if given:
            raise RuntimeError(f"LEDGERD={given} is not an executable")
        raise unittest.SkipTest(f"no ledgerd at {path}: build it (swift build --product ledgerd) or set LEDGERD")
    return path


class Daemon:
    """A ``ledgerd`` process on its own temporary directory (data directory, socket, log)."""

    def __init__(self, arguments: Sequence[str] = ()) -> None:
        self.binary = ledgerd_binary()
        self.directory = tempfile.mkdtemp(prefix="ledgerd-py-")
        os.chmod(self.directory, 0o755)
        self.data_directory = os.path.join(self.directory, "data")
        self.socket_path = os.path.join(self.directory, "ledgerd.sock")
        self.log_path = os.path.join(self.directory, "ledgerd.log")
        self.arguments: List[str] = list(arguments)
        self.process: Optional[subprocess.Popen] = None  # type: ignore[type-arg]

    def start(self, timeout: float = 20.0) -> "Daemon":
        """Starts the daemon and waits until it answers ``PING``."""
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [self.binary, "--data-dir", self.data_directory, "--socket", self.socket_path, *self.arguments],
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"ledgerd exited with {self.process.returncode}: {self.log()}")
            if self._pings():
                return self
            time.sleep(0.02)
        raise RuntimeError(f"ledgerd did not start within {timeout} s: {self.log()}")

    def _pings(self) -> bool:
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(2)
                sock.connect(self.socket_path)
                sock.sendall(b"PING\n")
                return sock.recv(16).startswith(b"PONG")
        except OSError:
            return False

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30.0) -> Optional[int]:
        """Sends ``sig`` and waits for the exit; returns the exit status (``None`` if it had to be killed)."""
        process, self.process = self.process, None
        if process is None:
            return None
        process.send_signal(sig)
        try:
            return process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            return None

    def restart(self) -> None:
        """Stops the daemon (SIGTERM) and starts it again on the same data directory and socket."""
        self.stop()
        self.start()

    def restart_later(self, delay: float) -> threading.Thread:
        """Stops the daemon now and starts it again after ``delay`` seconds, in a thread (join it)."""
        self.stop()
        thread = threading.Thread(target=lambda: (time.sleep(delay), self.start()), daemon=True)
        thread.start()
        return thread

    def log(self) -> str:
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as log:
                return log.read()[-4000:]
        except OSError:
            return ""

    def cleanup(self) -> None:
        """Stops the daemon and removes its directory."""
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)

    def ledger(self, **options: object) -> cl.Ledger:
        """A client connection."""
        return cl.Ledger(self.socket_path, **options)  # type: ignore[arg-type]


class DaemonTestCase(unittest.TestCase):
    """Tests sharing one daemon per class; each test uses its own stream names (``self.stream(...)``)."""

    daemon: Daemon
    daemon_arguments: Sequence[str] = ()

    @classmethod
    def setUpClass(cls) -> None:
        cls.daemon = Daemon(cls.daemon_arguments)
        try:
            cls.daemon.start()
        except BaseException:
            cls.daemon.cleanup()
            raise

    @classmethod
    def tearDownClass(cls) -> None:
        cls.daemon.cleanup()

    def setUp(self) -> None:
        self.ledger = self.daemon.ledger()
        self.addCleanup(self.ledger.close)

    def stream(self, name: str = "s") -> str:
        """A stream name of this test's own."""
        return f"{name}-{self._testMethodName.replace('_', '-')}"


class Proxy:
    """A Unix-socket proxy to the socket ``target``, at ``target + ".proxy"``. On its first connection it swallows
    the first ``drop_replies`` reply lines and then closes that connection (a lost reply); ``cut()`` closes every
    connection made so far (a dropped network)."""

    def __init__(self, target: str, drop_replies: int = 0) -> None:
        self.target = target
        self.drop_replies = drop_replies
        self.path = target + ".proxy"
        self.connections = 0
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(self.path)
        self._listener.listen(8)
        self._sockets: List[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                upstream.connect(self.target)
            except OSError:
                client.close()
                upstream.close()
                continue
            self._sockets += [client, upstream]
            drop = self.drop_replies if self.connections == 1 else 0
            threading.Thread(target=self._pipe, args=(client, upstream, 0), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, drop), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket, drop_lines: int) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if drop_lines:
                    drop_lines -= data.count(b"\n")
                    if drop_lines <= 0:
                        break
                    continue
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cut(self) -> None:
        """Closes every connection so far; new ones are still forwarded."""
        sockets, self._sockets = self._sockets, []
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def close(self) -> None:
        self.cut()
        self._listener.close()
        try:
            os.unlink(self.path)
        except OSError:
            pass


def event(type: str = "x-note", **data: object) -> dict:
    """An event object without an id (the client fills it)."""
    return {"type": type, "data": dict(data)}


SPEC = REPO_ROOT / "Protocols" / "line-protocol.md"


def documented(marker: str) -> bool:
    """Whether the protocol spec (``Protocols/line-protocol.md``) has ``marker``: the daemon must do what it says."""
    try:
        return marker in SPEC.read_text(encoding="utf-8")
    except OSError:
        return False


def skip_unless_supported(feature: str, marker: str, probe: Callable[[], object]) -> None:
    """Skips the test while a protocol part being added (``feature``) is neither in the spec (``marker``) nor in the
    daemon: ``probe`` raises ``UnknownCommand``, or a ``BadRequest`` that takes the new syntax for something else.
    Once the spec documents it, the test runs and fails if the daemon does not do it."""
    if documented(marker):
        return
    try:
        probe()
    except cl.UnknownCommand:
        raise unittest.SkipTest(f"this ledgerd does not support {feature} yet (UNKNOWN_COMMAND)") from None
    except cl.BadRequest as error:
        if "stream=" in error.message:
            raise unittest.SkipTest(f"this ledgerd does not support {feature} yet: {error.message}") from None
        raise


def wait_for(condition: Callable[[], object], timeout: float = 10.0, message: str = "condition") -> None:
    """Polls ``condition`` until it is true."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {message}")
        time.sleep(0.01)
