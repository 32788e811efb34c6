"""A PEP 517 build backend (with PEP 660 editable installs) written with the standard library only.

pip builds a project in an isolated environment into which it installs the backend's requirements from an index;
this backend has none (``requires = []``) and is loaded from the source tree (``backend-path``), so
``pip install ./Protocols/clients/python`` works with no network at all. It builds:

- a wheel ``commissioning_ledger-<version>-py3-none-any.whl``: the package, and ``.dist-info`` with ``METADATA``
  (core metadata 2.1), ``WHEEL`` and ``RECORD`` (each file's urlsafe-base64 SHA-256 and size);
- an sdist ``commissioning_ledger-<version>.tar.gz`` (the tree, with ``PKG-INFO``), itself buildable offline;
- an editable wheel whose ``.pth`` file puts this source tree on ``sys.path``.

Archives are reproducible: sorted entries, fixed timestamps (``SOURCE_DATE_EPOCH`` when set).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import os
import re
import tarfile
import time
import zipfile
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "commissioning_ledger"
GENERATOR = "ledger_build 1"

# PEP 517 / PEP 660 hooks


def get_requires_for_build_wheel(config_settings: Optional[Dict[str, Any]] = None) -> List[str]:
    """Nothing to install before building."""
    return []


def get_requires_for_build_sdist(config_settings: Optional[Dict[str, Any]] = None) -> List[str]:
    """Nothing to install before building."""
    return []


def get_requires_for_build_editable(config_settings: Optional[Dict[str, Any]] = None) -> List[str]:
    """Nothing to install before building."""
    return []


def prepare_metadata_for_build_wheel(metadata_directory: str, config_settings: Optional[Dict[str, Any]] = None) -> str:
    """Writes the ``.dist-info`` directory (``METADATA``, ``WHEEL``) into ``metadata_directory``; returns its name."""
    name = _dist_info()
    target = Path(metadata_directory) / name
    target.mkdir(parents=True, exist_ok=True)
    for path, data in _metadata_files():
        (target / Path(path).name).write_bytes(data)
    return name


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel


def build_wheel(
    wheel_directory: str,
    config_settings: Optional[Dict[str, Any]] = None,
    metadata_directory: Optional[str] = None,
) -> str:
    """Builds the wheel into ``wheel_directory``; returns its file name."""
    files = [(path.relative_to(ROOT).as_posix(), path.read_bytes()) for path in _package_files()]
    return _write_wheel(Path(wheel_directory), files)


def build_editable(
    wheel_directory: str,
    config_settings: Optional[Dict[str, Any]] = None,
    metadata_directory: Optional[str] = None,
) -> str:
    """Builds an editable wheel: a ``.pth`` file naming this source tree, so edits take effect without reinstalling."""
    name, version = _name_version()
    pth = f"__editable__.{_normalized(name)}-{version}.pth"
    return _write_wheel(Path(wheel_directory), [(pth, (str(ROOT) + "\n").encode("utf-8"))])


def build_sdist(sdist_directory: str, config_settings: Optional[Dict[str, Any]] = None) -> str:
    """Builds the source distribution into ``sdist_directory``; returns its file name."""
    name, version = _name_version()
    base = f"{_normalized(name)}-{version}"
    paths = [ROOT / "pyproject.toml", *(_package_files()), *_tree_files("build_backend"), *_tree_files("tests")]
    readme = ROOT / "README.md"
    if readme.exists():
        paths.append(readme)
    entries = sorted({(path.relative_to(ROOT).as_posix(), path.read_bytes()) for path in paths})
    entries.append(("PKG-INFO", _metadata().encode("utf-8")))
    filename = f"{base}.tar.gz"
    buffer = io.BytesIO()
    # tarfile.open("w:gz") would stamp the gzip header with the current time: write the gzip stream explicitly.
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=_epoch()) as compressed:
        with tarfile.open(fileobj=compressed, mode="w", format=tarfile.PAX_FORMAT) as archive:
            for path, data in sorted(entries):
                info = tarfile.TarInfo(f"{base}/{path}")
                info.size = len(data)
                info.mtime = _epoch()
                info.mode = 0o644
                archive.addfile(info, io.BytesIO(data))
    Path(sdist_directory).mkdir(parents=True, exist_ok=True)
    (Path(sdist_directory) / filename).write_bytes(buffer.getvalue())
    return filename


# Project metadata


def read_pyproject(text: str) -> Dict[str, Dict[str, Any]]:
    """The tables of a ``pyproject.toml``: ``tomllib`` on Python 3.11+, else a reader of the subset this project's
    file uses (``[table]`` headers, ``key = "string"`` and ``key = ["string", ...]`` on one line, comments)."""
    try:
        import tomllib  # type: ignore[import-not-found]

        return tomllib.loads(text)
    except ImportError:
        return _read_toml_subset(text)


def _read_toml_subset(text: str) -> Dict[str, Dict[str, Any]]:
    tables: Dict[str, Dict[str, Any]] = {}
    current: Dict[str, Any] = tables.setdefault("", {})
    string = r'"((?:[^"\\]|\\.)*)"'
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        header = re.fullmatch(r"\[([A-Za-z0-9_.-]+)\]", line)
        if header:
            current = tables
            for part in header.group(1).split("."):
                current = current.setdefault(part, {})
            continue
        pair = re.fullmatch(r"([A-Za-z0-9_-]+)\s*=\s*(.+?)\s*(#.*)?", line)
        if not pair:
            raise ValueError(f"pyproject.toml line {number}: not understood: {raw}")
        key, value = pair.group(1), pair.group(2)
        if re.fullmatch(string, value):
            current[key] = _unescape(value[1:-1])
        elif re.fullmatch(r"\[\s*(%s\s*(,\s*%s\s*)*,?)?\s*\]" % (string, string), value):
            current[key] = [_unescape(item) for item in re.findall(string, value)]
        else:
            raise ValueError(f"pyproject.toml line {number}: only strings and lists of strings are read: {raw}")
    return tables


def _unescape(text: str) -> str:
    return re.sub(r'\\(["\\])', r"\1", text)


def _project() -> Dict[str, Any]:
    project = read_pyproject((ROOT / "pyproject.toml").read_text(encoding="utf-8")).get("project")
    if not isinstance(project, dict) or "name" not in project or "version" not in project:
        raise ValueError("pyproject.toml has no [project] name and version")
    return project


def _name_version() -> Tuple[str, str]:
    project = _project()
    return str(project["name"]), str(project["version"])


def _normalized(name: str) -> str:
    """The distribution name in file names (PEP 427, PEP 625): runs of ``-_.`` as one ``_``, lowercase."""
    return re.sub(r"[-_.]+", "_", name).lower()


def _dist_info() -> str:
    name, version = _name_version()
    return f"{_normalized(name)}-{version}.dist-info"


def _metadata() -> str:
    """Core metadata 2.1 (``METADATA`` and ``PKG-INFO``)."""
    project = _project()
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {project['name']}",
        f"Version: {project['version']}",
    ]
    if project.get("description"):
        lines.append(f"Summary: {project['description']}")
    if project.get("requires-python"):
        lines.append(f"Requires-Python: {project['requires-python']}")
    body = ""
    readme = project.get("readme")
    if isinstance(readme, str) and (ROOT / readme).exists():
        if readme.endswith(".md"):
            lines.append("Description-Content-Type: text/markdown")
        body = (ROOT / readme).read_text(encoding="utf-8")
    return "\n".join(lines) + "\n\n" + body


def _metadata_files() -> List[Tuple[str, bytes]]:
    info = _dist_info()
    wheel = f"Wheel-Version: 1.0\nGenerator: {GENERATOR}\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    return [(f"{info}/METADATA", _metadata().encode("utf-8")), (f"{info}/WHEEL", wheel.encode("utf-8"))]


# Files and archives


def _tree_files(directory: str) -> List[Path]:
    """The files under ``directory`` of the source tree, without caches and compiled files, sorted."""
    return sorted(
        path
        for path in (ROOT / directory).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo")
    )


def _package_files() -> List[Path]:
    return _tree_files(PACKAGE)


def _epoch() -> int:
    return int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))  # 1980-01-01, the earliest a zip entry can say


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return f"sha256={digest}"


def _write_wheel(directory: Path, files: List[Tuple[str, bytes]]) -> str:
    """Writes a wheel of ``files`` plus the ``.dist-info`` files and ``RECORD``; returns the wheel's file name."""
    name, version = _name_version()
    filename = f"{_normalized(name)}-{version}-py3-none-any.whl"
    entries = sorted(files) + _metadata_files()
    record_path = f"{_dist_info()}/RECORD"
    record = "".join(f"{path},{_record_hash(data)},{len(data)}\n" for path, data in entries) + f"{record_path},,\n"
    entries.append((record_path, record.encode("utf-8")))
    stamp = time.gmtime(max(_epoch(), 315532800))[:6]
    directory.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(directory / filename, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, data in entries:
            info = zipfile.ZipInfo(path, date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return filename
