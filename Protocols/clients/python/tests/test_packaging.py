"""The in-tree build backend: wheel (METADATA, WHEEL, RECORD), sdist, and pip installing into a fresh venv offline."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import unittest
import zipfile

import support

sys.path.insert(0, str(support.CLIENT_DIR / "build_backend"))
import ledger_build  # noqa: E402

import commissioning_ledger  # noqa: E402


class BackendTests(unittest.TestCase):
    def setUp(self) -> None:
        self.directory = tempfile.mkdtemp(prefix="ledger-py-build-")
        self.addCleanup(shutil.rmtree, self.directory, True)

    def test_wheel_has_metadata_and_a_correct_record(self) -> None:
        name = ledger_build.build_wheel(self.directory)
        version = commissioning_ledger.__version__
        self.assertEqual(name, f"commissioning_ledger-{version}-py3-none-any.whl")
        info = f"commissioning_ledger-{version}.dist-info"
        with zipfile.ZipFile(os.path.join(self.directory, name)) as wheel:
            names = wheel.namelist()
            files = {n: wheel.read(n) for n in names}
        self.assertIn("commissioning_ledger/__init__.py", names)
        self.assertIn("commissioning_ledger/py.typed", names)
        self.assertFalse([n for n in names if "__pycache__" in n or n.startswith(("tests/", "build_backend/"))])
        metadata = files[f"{info}/METADATA"].decode()
        for line in ["Metadata-Version: 2.1", "Name: commissioning-ledger", f"Version: {version}",
                     "Requires-Python: >=3.9"]:  # fmt: skip
            self.assertIn(line + "\n", metadata)
        self.assertIn("Tag: py3-none-any\n", files[f"{info}/WHEEL"].decode())
        self.assertIn("Root-Is-Purelib: true\n", files[f"{info}/WHEEL"].decode())
        rows = list(csv.reader(io.StringIO(files[f"{info}/RECORD"].decode())))
        self.assertEqual({row[0] for row in rows}, set(names))
        for path, digest, size in rows:
            if path == f"{info}/RECORD":
                self.assertEqual((digest, size), ("", ""))
                continue
            expected = base64.urlsafe_b64encode(hashlib.sha256(files[path]).digest()).rstrip(b"=").decode()
            self.assertEqual((digest, int(size)), (f"sha256={expected}", len(files[path])), path)
        again = os.path.join(self.directory, "again")
        ledger_build.build_wheel(again)
        with open(os.path.join(self.directory, name), "rb") as a, open(os.path.join(again, name), "rb") as b:
            self.assertEqual(a.read(), b.read(), "the wheel is reproducible")

    def test_sdist_holds_the_tree_and_its_metadata(self) -> None:
        name = ledger_build.build_sdist(self.directory)
        base = f"commissioning_ledger-{commissioning_ledger.__version__}"
        self.assertEqual(name, base + ".tar.gz")
        with tarfile.open(os.path.join(self.directory, name)) as sdist:
            members = set(sdist.getnames())
        for path in ["pyproject.toml", "PKG-INFO", "README.md", "build_backend/ledger_build.py",
                     "commissioning_ledger/connection.py", "tests/support.py"]:  # fmt: skip
            self.assertIn(f"{base}/{path}", members)
        self.assertFalse([m for m in members if "__pycache__" in m])

    def test_pyproject_reader_without_tomllib(self) -> None:
        text = (support.CLIENT_DIR / "pyproject.toml").read_text(encoding="utf-8")
        subset = ledger_build._read_toml_subset(text)
        self.assertEqual(subset["build-system"]["requires"], [])
        self.assertEqual(subset["project"]["version"], commissioning_ledger.__version__)
        try:
            import tomllib  # type: ignore[import-not-found]
        except ImportError:
            return
        self.assertEqual(subset, tomllib.loads(text) | {"": {}})


class PipInstallTests(unittest.TestCase):
    """``python3 -m venv V && V/bin/pip install ./Protocols/clients/python`` with no index (and no network)."""

    def test_pip_installs_the_package_offline_into_a_fresh_venv(self) -> None:
        directory = tempfile.mkdtemp(prefix="ledger-py-venv-")
        self.addCleanup(shutil.rmtree, directory, True)
        venv = os.path.join(directory, "venv")
        created = subprocess.run([sys.executable, "-m", "venv", venv], capture_output=True, text=True)
        if created.returncode != 0:
            output = created.stdout + created.stderr
            if "ensurepip" in output or "No module named venv" in output:
                reason = f"{sys.executable} cannot create a venv with pip (install python3-venv): {output.strip()}"
                print(f"\nSKIPPED pip install test: {reason}", file=sys.stderr)
                self.skipTest(reason)
            self.fail(f"python3 -m venv failed: {output}")
        python = os.path.join(venv, "bin", "python")
        environment = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHON"))}
        environment.update(
            PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_CONFIG_FILE=os.devnull, PYTHONDONTWRITEBYTECODE="1"
        )

        def run(*arguments: str) -> str:
            done = subprocess.run(
                arguments, cwd=directory, env=environment, capture_output=True, text=True, timeout=120
            )
            if done.returncode != 0:
                self.fail(f"{' '.join(arguments)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
            return done.stdout

        probe = (
            "import json, commissioning_ledger as c; "
            "print(json.dumps([c.__file__, c.__version__, c.verify_inclusion(b'x' * 40, 1, 1, [], "
            "c.leaf_hash(b'x' * 40))]))"
        )
        run(python, "-m", "pip", "install", "--no-cache-dir", str(support.CLIENT_DIR))
        path, version, verified = json.loads(run(python, "-c", probe))
        self.assertTrue(path.startswith(venv), f"imported from {path}, not the venv")
        self.assertIn("site-packages", path)
        self.assertEqual((version, verified), (commissioning_ledger.__version__, True))
        self.assertIn("Name: commissioning-ledger", run(python, "-m", "pip", "show", "commissioning-ledger"))

        run(python, "-m", "pip", "uninstall", "--yes", "commissioning-ledger")
        run(python, "-m", "pip", "install", "--no-cache-dir", "--editable", str(support.CLIENT_DIR))
        path, _, _ = json.loads(run(python, "-c", probe))
        self.assertEqual(os.path.realpath(path), str(support.CLIENT_DIR / "commissioning_ledger" / "__init__.py"))


if __name__ == "__main__":
    unittest.main()
